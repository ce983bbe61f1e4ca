package org.weft.plugins.resourcemonitor;

import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerTransitionEvent;
import org.weft.plugin.api.WorkerView;
import org.weft.plugins.resourcemonitor.TaskSpan.Phase;

/**
 * The task trace on one worker (dasf's {@code WorkerTaskPlugin}): times each task's phases with
 * {@link TraceClock} as the worker's loop reports them, into the {@link Profiler}'s track for this
 * worker. One instance per worker.
 */
final class TaskTracePlugin implements WorkerPlugin {

    /** The plugin's name in {@code weft:plugins}. */
    static final String NAME = "profile-trace";

    private final Profiler profiler;
    private WorkerTrack track;

    TaskTracePlugin(Profiler profiler) {
        this.profiler = profiler;
    }

    @Override
    public void setup(WorkerView worker) {
        track = profiler.workerTrack(worker.address(), worker.nthreads());
    }

    @Override
    public void transition(WorkerTransitionEvent e) {
        WorkerTrack t = track;
        if (t == null) {
            return;
        }
        Phase closing = phase(e.start());
        Phase opening = phase(e.finish());
        if (closing != null || opening != null) {
            t.transition(e.key(), closing, opening, e.stimulusId(), WorkerTrack.NOW, e.nbytes(),
                    e.finish() == WorkerTaskState.ERROR ? e.exceptionText() : null);
        }
        if (e.finish() == WorkerTaskState.MEMORY && e.nbytes() > 0) {
            t.held(e.nbytes());
        } else if (e.start() == WorkerTaskState.MEMORY && e.nbytes() > 0) {
            t.held(-e.nbytes());
        }
    }

    static Phase phase(WorkerTaskState state) {
        return switch (state) {
            case WAITING -> Phase.WAITING;
            case FLIGHT -> Phase.FETCHING;
            case EXECUTING -> Phase.EXECUTING;
            case LONG_RUNNING -> Phase.LONG_RUNNING;
            default -> null;
        };
    }
}
