package org.weft.dashboard;

import java.util.List;

import org.weft.plugin.api.PluginContext;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TransitionEvent;

/**
 * The scheduler plugin {@code dashboard}: records each finished or failed task's compute span into
 * the {@link TaskStream}, from the timings its worker reported (Dask's task stream plugin does the
 * same), while a page is open. With none open it wants no transition at all, so the scheduler
 * builds and queues no event for it: it says so to the host ({@link PluginContext#interestChanged()})
 * each time the stream starts or stops recording, that is when the first page opens and the last
 * one closes. Delivered synchronously, on the scheduler loop: per finished task it updates a few
 * fields of its worker thread's bar under the stream's lock, which the feed holds only to copy bars
 * out, and allocates nothing; handing each event to a delivery thread of its own cost the scheduler
 * process several times that (the event's hand-over and a second core's cache misses).
 */
final class TaskStreamPlugin implements SchedulerPlugin {

    static final String NAME = "dashboard";

    private final TaskStream stream;

    TaskStreamPlugin(TaskStream stream) {
        this.stream = stream;
    }

    @Override
    public void start(SchedulerView scheduler, PluginContext context) {
        stream.onRecordingChange(context::interestChanged);
    }

    @Override
    public void close() {
        stream.onRecordingChange(null);
    }

    @Override
    public boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
        return stream.recording() && start == SchedulerTaskState.PROCESSING
                && (finish == SchedulerTaskState.MEMORY || finish == SchedulerTaskState.ERRED);
    }

    @Override
    public void transition(TransitionEvent event) {
        if (!stream.recording()) {
            return; // queued before the last page closed
        }
        boolean erred = event.finish() == SchedulerTaskState.ERRED;
        List<Startstop> startstops = event.startstops();
        for (int i = 0; i < startstops.size(); i++) { // no iterator per event
            Startstop s = startstops.get(i);
            if ("compute".equals(s.action())) {
                stream.add(event.key(), event.worker(), s.startMillis(), s.stopMillis(), erred);
            }
        }
    }
}
