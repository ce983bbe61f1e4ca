package org.weft.scheduler.core.state;

/**
 * A task that seceded from its worker's executor threads (Dask's {@code long-running}): it stays
 * processing on that worker, but no longer occupies a thread there, so it should not count in
 * the worker's occupancy. The worker sends this once per run; stale or misdirected reports
 * (the task finished, moved, or is unknown) are ignored.
 */
final class LongRunning {

    private LongRunning() {
    }

    static void taskLongRunning(SchedulerState state, String key, String worker) {
        TaskState ts = state.tasks.get(key);
        WorkerRecord ws = state.workers.get(worker);
        if (ts == null || ws == null || ts.processingOn != ws) {
            return;
        }
        ws.longRunning.add(ts);
    }
}
