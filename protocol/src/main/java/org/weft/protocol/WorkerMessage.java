package org.weft.protocol;

import java.util.List;
import java.util.Map;

/** What a worker sends its scheduler: results, failures, answers, heartbeats. */
public sealed interface WorkerMessage extends Message {

    /** One timed phase of a task (Dask's startstops): {@code action} is e.g. "compute" or "transfer". */
    record Span(String action, long startMillis, long stopMillis, String source) {
    }

    /**
     * A task's result is held here; {@code nbytes} is its encoded size, {@code runId} the run id of the
     * compute it answers (0: not known, taken as the current run's).
     */
    record TaskFinished(String key, long nbytes, String typeName, List<Span> startstops, String stimulusId,
            long runId) implements WorkerMessage {
        public TaskFinished {
            startstops = startstops == null ? List.of() : startstops;
        }

        /** A report with no run id (0). */
        public TaskFinished(String key, long nbytes, String typeName, List<Span> startstops, String stimulusId) {
            this(key, nbytes, typeName, startstops, stimulusId, 0);
        }
    }

    /** A task failed; {@code runId} as in {@link TaskFinished}. */
    record TaskErred(String key, String exceptionText, String traceback, List<Span> startstops, String stimulusId,
            long runId) implements WorkerMessage {
        public TaskErred {
            startstops = startstops == null ? List.of() : startstops;
        }

        /** A report with no run id (0). */
        public TaskErred(String key, String exceptionText, String traceback, List<Span> startstops, String stimulusId) {
            this(key, exceptionText, traceback, startstops, stimulusId, 0);
        }
    }

    /** {@code peer} did not have {@code key} when this worker asked for it. */
    record MissingData(String key, String peer, String stimulusId) implements WorkerMessage {
    }

    /** The answer to a steal request: the task's state here ({@code null}: not known here). */
    record StealResponse(String key, String state, String stimulusId) implements WorkerMessage {
    }

    /** A task seceded: it runs on without holding one of the worker's threads; {@code runId} as in {@link TaskFinished}. */
    record LongRunning(String key, String stimulusId, long runId) implements WorkerMessage {

        /** A report with no run id (0). */
        public LongRunning(String key, String stimulusId) {
            this(key, stimulusId, 0);
        }
    }

    /** Alive; {@code metrics} are JSON-able figures about the worker. */
    record Heartbeat(Map<String, Object> metrics) implements WorkerMessage {
        public Heartbeat {
            metrics = metrics == null ? Map.of() : metrics;
        }
    }

    /**
     * The worker is asked to stop (SIGTERM): retire it as Dask's {@code retire_workers} does,
     * copying the results only it holds to other workers, then tell it to close.
     */
    record Retire(String reason) implements WorkerMessage {
    }

    /** The answer to the scheduler's {@link SchedulerMessage.Ask} with the same id. */
    record Answer(long id, Object value, String error) implements WorkerMessage {
    }
}
