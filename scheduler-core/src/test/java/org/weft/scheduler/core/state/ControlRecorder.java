package org.weft.scheduler.core.state;

import java.util.ArrayList;
import java.util.List;

import org.weft.plugin.api.LogEvent;
import org.weft.plugin.api.SchedulerTaskState;

/**
 * A {@link SchedulerEvents} that writes what a plugin would see into one journal:
 * {@code key:start>finish}, {@code restart(tasks=N)} (the number of tasks known during the call),
 * {@code log:topic=message}.
 */
final class ControlRecorder implements SchedulerEvents {

    final List<String> journal = new ArrayList<>();
    final List<LogEvent> logged = new ArrayList<>();
    SchedulerState state;

    @Override
    public void transition(TaskState task, SchedulerTaskState start, SchedulerTaskState finish, String worker,
            String stimulusId) {
        journal.add(task.key() + ":" + start.label() + ">" + finish.label());
    }

    @Override
    public void restarted(String stimulusId) {
        journal.add("restart(tasks=" + state.tasks().size() + ")");
    }

    @Override
    public void eventLogged(LogEvent event) {
        logged.add(event);
        journal.add("log:" + event.topic() + "=" + event.message());
    }

    /** A validating state with this recorder, and the given clients. */
    static ControlRecorder withState(String... clients) {
        ControlRecorder r = new ControlRecorder();
        r.state = new SchedulerState(new SchedulerConfig(true, 10_000, 3), r);
        for (String c : clients) {
            r.state.addClient(c);
        }
        return r;
    }

    /** Only the transitions, in order. */
    List<String> transitions() {
        return journal.stream().filter(s -> s.contains(">")).toList();
    }
}
