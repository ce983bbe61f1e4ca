package org.weft.node;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.weft.plugin.api.TaskPriority;

/**
 * What the scheduler's state machine ({@code SchedulerState}) asks its loop to do after a stimulus.
 * The loop performs the I/O.
 */
public sealed interface SchedulerInstruction {

    /** An instruction for one worker; the loop sends it over that worker's link. */
    interface ToWorker {
        String worker();
    }

    /** A report for one client; the loop sends it over that client's link. */
    interface ToClient {
        String client();
    }

    /**
     * Send a task to a worker. {@code whoHas} names, per dependency key, the workers holding it;
     * {@code resources} the abstract resources the task holds while it runs (empty if none);
     * {@code runId} which run of the task this is (Dask's {@code run_id}; 0: not known), echoed by
     * the worker in its answer so a late answer from an earlier run is recognised as stale.
     */
    record ComputeTask(String worker, String key, String function, List<Object> args,
            Map<String, Set<String>> whoHas, TaskPriority priority, Map<String, Double> resources, String stimulusId,
            long runId) implements SchedulerInstruction, ToWorker {

        public ComputeTask {
            resources = resources == null ? Map.of() : resources;
        }

        /** A compute with no run id: the worker's answer is taken as the current run's. */
        public ComputeTask(String worker, String key, String function, List<Object> args,
                Map<String, Set<String>> whoHas, TaskPriority priority, Map<String, Double> resources,
                String stimulusId) {
            this(worker, key, function, args, whoHas, priority, resources, stimulusId, 0);
        }
    }

    /** Tell a worker to drop these keys (results and bookkeeping). */
    record FreeKeys(String worker, List<String> keys, String stimulusId) implements SchedulerInstruction, ToWorker {
    }

    /** Tell a client a key it wants is in memory. */
    record ReportMemory(String client, String key) implements SchedulerInstruction, ToClient {
    }

    /** Tell a client a key it wants erred. */
    record ReportErred(String client, String key, String exceptionText, String traceback, String blamedKey)
            implements SchedulerInstruction, ToClient {
    }

    /** Tell a client a key it wanted was forgotten. */
    record ReportForgotten(String client, String key, String reason) implements SchedulerInstruction, ToClient {
    }

    // ---------------------------------------------------------------- placement and stealing

    /**
     * Ask a worker to give up a task it was sent but has not started, so it can run elsewhere.
     * The worker answers with {@code WorkerInstruction.StealResponseMsg}.
     */
    record StealRequest(String worker, String key, String stimulusId) implements SchedulerInstruction, ToWorker {
    }

    // ---------------------------------------------------------------- control (cancel, restart, events)

    /** Tell a client a key it wanted was cancelled (by itself, or by anyone with {@code force}). */
    record ReportCancelled(String client, String key) implements SchedulerInstruction, ToClient {
    }

    /** Push an event logged under a topic the client subscribed to. */
    record ReportEvent(String client, String topic, Object message, long timestampMillis)
            implements SchedulerInstruction, ToClient {
    }

    /**
     * The scheduler restarted: the worker drops every task and result it holds (runs under way are
     * orphaned, their results dropped); its plugins stay.
     */
    record RestartWorker(String worker, String stimulusId) implements SchedulerInstruction, ToWorker {
    }

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    /**
     * Fetch these results from the workers named (per key, its holders) and keep them: the worker
     * then reports each key it holds as a finished task, so the scheduler's who-has grows (Dask's
     * {@code acquire-replicas}). Sent to move a retiring worker's unique data.
     */
    record AcquireReplicas(String worker, Map<String, Set<String>> whoHas, String stimulusId)
            implements SchedulerInstruction, ToWorker {
    }

    /**
     * The scheduler removed this worker (retired, or silent past the worker TTL): it should close.
     * A worker process removed for silence that hears this is alive after all (a network partition
     * healed): it joins again as a fresh worker instead ({@link #forSilence}).
     */
    record CloseWorker(String worker, String reason, String stimulusId) implements SchedulerInstruction, ToWorker {

        /** The stimulus of a removal for silence: its ids start with this (they travel with the message). */
        public static final String SILENCE_STIMULUS = "check-worker-ttl";

        /** Whether a close with this stimulus id removed the worker for silence, rather than asking it to leave. */
        public static boolean forSilence(String stimulusId) {
            return stimulusId != null && stimulusId.startsWith(SILENCE_STIMULUS);
        }
    }
}
