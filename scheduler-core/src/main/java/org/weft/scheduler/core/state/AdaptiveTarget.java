package org.weft.scheduler.core.state;


import java.util.function.UnaryOperator;

/**
 * Dask's {@code adaptive_target}: how many workers the current work asks for.
 *
 * <ol>
 *   <li>CPU: the expected run time of every task processing, queued or waiting for a worker,
 *       divided by {@code targetDurationMillis} (Dask's {@code adaptive.target-duration}, 5 s),
 *       rounded up; no more than the number of such tasks (a few long tasks do not ask for many
 *       workers); converted from threads to workers with the cluster's average threads per worker;
 *       at least one worker if there is work and no worker.</li>
 *   <li>Memory: Dask adds workers when 60% of the workers' memory limit is used; Weft's workers
 *       have no memory limit, so the data held only sets a floor of one worker while any result is
 *       held.</li>
 *   <li>Scaling down: when the target is below the number of running workers, the answer is the
 *       running workers minus {@link WorkersToClose} down to that target (plugin filters
 *       included), so workers a plugin protects are kept.</li>
 * </ol>
 * A task's expected duration is its key prefix's moving average (500 ms while unknown), and the
 * time processing tasks are expected to take is the workers' occupancy, as in Dask.
 */
final class AdaptiveTarget {

    static final long DEFAULT_TARGET_DURATION_MILLIS = 5_000;

    private AdaptiveTarget() {
    }

    static int compute(SchedulerState s, long targetDurationMillis, UnaryOperator<java.util.Set<String>> filter) {
        if (targetDurationMillis <= 0) {
            throw new IllegalArgumentException("target duration must be > 0 ms, was " + targetDurationMillis);
        }
        long tasks = s.unrunnable.size();
        int running = 0;
        int threads = 0;
        boolean holdsData = false;
        for (WorkerRecord ws : s.workers.values()) {
            tasks += ws.processing.size();
            holdsData |= !ws.hasWhat.isEmpty();
            if (!ws.closingGracefully) {
                running++;
                threads += ws.nthreads;
            }
        }
        double seconds = Math.max(0, s.placement.totalOccupancy);
        // as Dask: the first 100 tasks waiting to run are costed, the rest assumed alike
        int sampled = 0;
        double waitingSeconds = 0;
        for (TaskState ts : s.queued) {
            if (sampled++ == 100) {
                break;
            }
            waitingSeconds += ts.group.expectedDuration();
        }
        for (TaskState ts : s.unrunnable) {
            if (sampled++ >= 100) {
                break;
            }
            waitingSeconds += ts.group.expectedDuration();
        }
        int waiting = s.queued.size() + s.unrunnable.size();
        if (waiting > 100) {
            waitingSeconds *= waiting / 100.0;
        }
        tasks += s.queued.size();
        long cpu = (long) Math.ceil((seconds + waitingSeconds) * 1000 / targetDurationMillis);
        cpu = Math.min(cpu, tasks);
        if (running > 0) {
            cpu = (long) Math.ceil((double) cpu * running / threads);
        } else if (tasks > 0) {
            cpu = Math.max(1, cpu);
        }
        long memory = holdsData ? 1 : 0;
        int target = (int) Math.min(Integer.MAX_VALUE, Math.max(cpu, memory));
        if (target >= running) {
            return target;
        }
        return running - WorkersToClose.choose(s, null, target, filter).size();
    }
}
