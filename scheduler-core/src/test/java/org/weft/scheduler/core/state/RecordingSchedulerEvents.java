package org.weft.scheduler.core.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;

/**
 * Records what a scheduler plugin would see: every transition as the {@link TransitionEvent} the
 * plugin host builds from it ({@code PluginEventFeed.event}), and the other
 * hooks in order. Checks on every call that the reported finish is the state the task is in and
 * that the edge is in the table, and that a task being forgotten can still be read by key.
 */
final class RecordingSchedulerEvents implements SchedulerEvents {

    /** Every transition, as a plugin gets it. */
    final List<TransitionEvent> events = new ArrayList<>();
    /** Every hook call in order: {@code key:start>finish@worker}, {@code addWorker:w}, {@code removeWorker:w}, ... */
    final List<String> calls = new ArrayList<>();
    /** Every update-graph event, as a plugin gets it. */
    final List<org.weft.plugin.api.GraphEvent> graphs = new ArrayList<>();
    private int taken;
    SchedulerState state;

    @Override
    public void transition(TaskState task, SchedulerTaskState start, SchedulerTaskState finish, String worker,
            String stimulusId) {
        if (task.state() != finish) {
            throw new AssertionError("reported " + task.key() + " " + start + " -> " + finish + " but it is in "
                    + task.state());
        }
        // start == finish: a requested edge left the task where it was (TransitionEvent: the actual finish is
        // reported, e.g. no-worker -> no-worker when a worker joins that may not run it, as Dask)
        if (start != finish && !SchedulerTransitions.allowed(start, finish)) {
            throw new AssertionError("reported " + task.key() + " " + start + " -> " + finish
                    + ", which is not an edge of the table");
        }
        if (finish == SchedulerTaskState.FORGOTTEN && state != null && state.tasks().get(task.key()) != task) {
            throw new AssertionError("forgotten task " + task.key() + " not readable by key during the hook");
        }
        events.add(org.weft.scheduler.core.cluster.PluginEventFeed.event(task, start, finish, worker, stimulusId));
        calls.add(format(task.key(), start, finish, worker));
    }

    static String format(String key, SchedulerTaskState start, SchedulerTaskState finish, String worker) {
        return key + ":" + start + ">" + finish + "@" + (worker == null ? "-" : worker);
    }

    @Override
    public void graphUpdated(String client, Set<String> wanted, List<TaskState> newTasks, String stimulusId) {
        graphs.add(org.weft.scheduler.core.cluster.PluginEventFeed.graphEvent(client, wanted, newTasks, stimulusId));
        calls.add("updateGraph:" + client);
    }

    @Override
    public void workerAdded(WorkerRecord worker, String stimulusId) {
        calls.add("addWorker:" + worker.address());
    }

    @Override
    public void workerRemoved(WorkerRecord worker, String stimulusId) {
        calls.add("removeWorker:" + worker.address());
    }

    @Override
    public void clientAdded(String client) {
        calls.add("addClient:" + client);
    }

    @Override
    public void clientRemoved(String client) {
        calls.add("removeClient:" + client);
    }

    /** The hook calls since the last {@code take()}. */
    List<String> take() {
        List<String> out = List.copyOf(calls.subList(taken, calls.size()));
        taken = calls.size();
        return out;
    }

    /** The transitions since the last {@code take()}, without the other hooks. */
    List<String> takeTransitions() {
        return take().stream().filter(c -> c.contains(">")).toList();
    }

    /** Every transition of {@code key} so far, as {@code start>finish@worker}. */
    List<String> of(String key) {
        String prefix = key + ":";
        return calls.stream().filter(c -> c.startsWith(prefix) && c.contains(">"))
                .map(c -> c.substring(prefix.length())).toList();
    }

    /** The last transition event of {@code key}. */
    TransitionEvent last(String key) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).key().equals(key)) {
                return events.get(i);
            }
        }
        throw new AssertionError("no transition of " + key);
    }
}
