package org.weft.scheduler.core.state;

import java.util.ArrayDeque;

import org.weft.plugin.api.SchedulerTaskState;

/**
 * Dask's {@code recommendations} dict: tasks waiting for a transition, first recommended first,
 * each with the state it should go to. Recommending a task already here changes its target and
 * keeps its place, as putting an existing key into an insertion-ordered dict does.
 *
 * <p>The target lives on the task ({@link TaskState#recommended}), so a graph of a million tasks
 * costs a slot in an array each rather than a hash-map entry each (40 bytes, and a linked list a
 * million long for the garbage collector to walk).
 */
final class Recommendations {

    /** A queue that held this many tasks is dropped once empty, to give its array back. */
    private static final int SHRINK_ABOVE = 1 << 16;

    private ArrayDeque<TaskState> queue = new ArrayDeque<>();
    private int highWater;

    void put(TaskState ts, SchedulerTaskState target) {
        if (ts.recommended == null) {
            queue.addLast(ts);
            highWater = Math.max(highWater, queue.size());
        }
        ts.recommended = target;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Removes the oldest task; its target is {@link #targetOf} until the next call. */
    TaskState poll() {
        TaskState ts = queue.pollFirst();
        if (queue.isEmpty() && highWater > SHRINK_ABOVE) {
            queue = new ArrayDeque<>();
            highWater = 0;
        }
        return ts;
    }

    /** The target of a task just polled; clears it, so the task may be recommended again. */
    static SchedulerTaskState takeTarget(TaskState ts) {
        SchedulerTaskState target = ts.recommended;
        ts.recommended = null;
        return target;
    }

    void clear() {
        for (TaskState ts : queue) {
            ts.recommended = null;
        }
        queue.clear();
    }
}
