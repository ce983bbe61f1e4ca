package org.weft.protocol;

import java.util.List;
import java.util.Map;

/** What the scheduler sends: instructions to a worker, reports and replies to a client. */
public sealed interface SchedulerMessage extends Message {

    // ---------------------------------------------------------------- to a worker

    /**
     * Run a task. {@code args} hold plain values and {@link Ref}s to dependencies; {@code whoHas}
     * names, per dependency, the addresses of the workers holding it. {@code runId} names this run of
     * the task (Dask's {@code run_id}; 0: not known): the worker echoes it in its
     * {@link WorkerMessage.TaskFinished} or {@link WorkerMessage.TaskErred}, so that the scheduler
     * can tell a late answer of an earlier run on the same worker from the current run's.
     */
    record ComputeTask(String key, String function, List<Object> args, Map<String, List<String>> whoHas,
            int priority, long generation, long order, Map<String, Double> resources, String stimulusId, long runId)
            implements SchedulerMessage {
        public ComputeTask {
            args = args == null ? List.of() : args;
            whoHas = whoHas == null ? Map.of() : whoHas;
            resources = resources == null ? Map.of() : resources;
        }

        /** A compute with no run id (0): the worker's answer is taken as the current run's. */
        public ComputeTask(String key, String function, List<Object> args, Map<String, List<String>> whoHas,
                int priority, long generation, long order, Map<String, Double> resources, String stimulusId) {
            this(key, function, args, whoHas, priority, generation, order, resources, stimulusId, 0);
        }
    }

    /** Forget these keys (drop their results, cancel their runs). */
    record FreeKeys(List<String> keys, String stimulusId) implements SchedulerMessage {
    }

    /** Give this queued task back if it has not started (work stealing); answered by a steal response. */
    record StealRequest(String key, String stimulusId) implements SchedulerMessage {
    }

    /** Fetch copies of these keys from the workers named, and keep them. */
    record AcquireReplicas(Map<String, List<String>> whoHas, String stimulusId) implements SchedulerMessage {
    }

    /** The scheduler restarted: drop every task and result. */
    record RestartWorker(String stimulusId) implements SchedulerMessage {
    }

    /** Close: retired, or no longer wanted. */
    record CloseWorker(String reason, String stimulusId) implements SchedulerMessage {
    }

    /** A question from the scheduler (the shell's), answered by {@link WorkerMessage.Answer} with the same id. */
    record Ask(long id, String what, Map<String, Object> params) implements SchedulerMessage {
        public Ask {
            params = params == null ? Map.of() : params;
        }
    }

    // ---------------------------------------------------------------- to a client

    /** A wanted key is in memory. */
    record KeyInMemory(String key) implements SchedulerMessage {
    }

    /** A wanted key erred ({@code blamedKey}: the task that failed, this key or a dependency). */
    record KeyErred(String key, String exceptionText, String traceback, String blamedKey) implements SchedulerMessage {
    }

    /** A wanted key was forgotten (released, the client left, {@code "restart"}). */
    record KeyForgotten(String key, String reason) implements SchedulerMessage {
    }

    /** A wanted key was cancelled. */
    record KeyCancelled(String key) implements SchedulerMessage {
    }

    /** An event under a topic the client subscribed to. */
    record TopicEvent(String topic, Object message, long timestampMillis) implements SchedulerMessage {
    }

    /** The answer to a client's {@link ClientMessage.Call} or {@link ClientMessage.UpdateGraph}: a value, or an error. */
    record Reply(long id, Object value, String error, String errorType) implements SchedulerMessage {
        public static Reply ok(long id, Object value) {
            return new Reply(id, value, null, null);
        }

        public static Reply failed(long id, String errorType, String error) {
            return new Reply(id, null, error == null ? errorType : error, errorType);
        }

        public boolean failed() {
            return errorType != null;
        }
    }
}
