package org.weft.dashboard;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TransitionEvent;

/**
 * The scheduler plugin {@code dashboard}: records each finished or failed task's compute span into
 * the {@link TaskStream}, from the timings its worker reported (Dask's task stream plugin does the
 * same), while a page is open; with none open it returns at once. Registered with asynchronous
 * delivery that drops when its queue is full, so a slow dashboard never holds up the scheduler;
 * drops are counted and shown on the Plugins page.
 *
 * <p>The scheduler asks {@link #wantsTransition} once, when the plugin is added, so with no page
 * open the loop still builds and queues one event per finished task for it (the plugin API has no
 * way yet to say its interest changed).
 */
final class TaskStreamPlugin implements SchedulerPlugin {

    static final String NAME = "dashboard";

    private final TaskStream stream;

    TaskStreamPlugin(TaskStream stream) {
        this.stream = stream;
    }

    @Override
    public boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
        return start == SchedulerTaskState.PROCESSING
                && (finish == SchedulerTaskState.MEMORY || finish == SchedulerTaskState.ERRED);
    }

    @Override
    public void transition(TransitionEvent event) {
        if (!stream.recording()) {
            return;
        }
        boolean erred = event.finish() == SchedulerTaskState.ERRED;
        for (Startstop s : event.startstops()) {
            if ("compute".equals(s.action())) {
                stream.add(event.key(), event.worker(), s.startMillis(), s.stopMillis(), erred);
            }
        }
    }
}
