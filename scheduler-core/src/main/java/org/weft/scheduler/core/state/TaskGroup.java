package org.weft.scheduler.core.state;

import java.util.HashSet;
import java.util.Set;

import org.weft.plugin.api.SchedulerTaskState;

/**
 * All tasks whose keys share a prefix ({@code inc-1}, {@code inc-2} → {@code inc}). The scheduler
 * uses a group for two things, as Dask uses its task prefixes and groups: the expected duration of
 * a task it has not run yet (a moving average over the group's finished tasks), and whether a
 * task is root-ish (one of many similar tasks with few inputs), which decides queuing.
 *
 * <p>Weft keeps one object for both of Dask's notions: key prefixes and key groups coincide for the
 * string keys Weft uses.
 */
final class TaskGroup {

    /** What an unknown group's task is expected to take, as Dask's {@code unknown-task-duration}. */
    static final double UNKNOWN_DURATION_SECONDS = 0.5;

    final String name;
    /** Groups whose tasks this group's tasks depend on. */
    final Set<TaskGroup> dependencies = new HashSet<>(2);
    /** Tasks of this group the scheduler knows now. */
    int size;
    /**
     * Those tasks by state ({@link SchedulerTaskState#ordinal()}), kept as they move, so a status
     * view costs the number of groups rather than of tasks ({@link SchedulerState#countByPrefix}).
     */
    final int[] byState = new int[SchedulerTaskState.values().length];
    /** Moving average of compute time in seconds (½ old, ½ new); negative while none finished. */
    double durationAverage = -1;

    TaskGroup(String name) {
        this.name = name;
    }

    /** The expected compute time of one task of this group, in seconds. */
    double expectedDuration() {
        return durationAverage < 0 ? UNKNOWN_DURATION_SECONDS : durationAverage;
    }

    void recordDuration(double seconds) {
        if (seconds < 0) {
            return;
        }
        durationAverage = durationAverage < 0 ? seconds : 0.5 * durationAverage + 0.5 * seconds;
    }

    /** One of the group's tasks moved from {@code start} to {@code finish}. */
    void moved(SchedulerTaskState start, SchedulerTaskState finish) {
        byState[start.ordinal()]--;
        byState[finish.ordinal()]++;
    }

    /** How many tasks the dependency groups hold together. */
    int dependencyTaskCount() {
        if (dependencies.isEmpty()) {
            return 0; // the usual case, asked once per task: no iterator
        }
        int n = 0;
        for (TaskGroup g : dependencies) {
            n += g.size;
        }
        return n;
    }

    @Override
    public String toString() {
        return "<TaskGroup " + name + " size=" + size + " duration=" + durationAverage + ">";
    }
}
