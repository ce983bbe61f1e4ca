package org.weft.plugins.resourcemonitor;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.TransitionEvent;

/** Records every scheduler-side transition into the {@link Profiler} (when asked: it costs an event per transition). */
final class SchedulerTracePlugin implements SchedulerPlugin {

    static final String NAME = "profile-scheduler";

    private final Profiler profiler;

    SchedulerTracePlugin(Profiler profiler) {
        this.profiler = profiler;
    }

    @Override
    public void transition(TransitionEvent e) {
        profiler.schedulerTransition(new SchedulerMark(e.key(), e.start().label(), e.finish().label(),
                e.worker(), TraceClock.nowMicros()));
    }

    /** One scheduler transition at an instant. */
    record SchedulerMark(String key, String start, String finish, String worker, long timeMicros) {
    }
}
