package org.weft.scheduler.core.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.weft.plugin.api.ClientEvent;
import org.weft.plugin.api.GraphEvent;
import org.weft.plugin.api.LogEvent;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.TransitionEvent;
import org.weft.plugin.api.WorkerEvent;
import org.weft.pluginhost.SchedulerPluginHost;
import org.weft.scheduler.core.state.SchedulerEvents;
import org.weft.scheduler.core.state.TaskState;
import org.weft.scheduler.core.state.WorkerRecord;

/**
 * Turns the state machine's callbacks into plugin events, as the scheduler loop delivers them;
 * builds nothing when no plugin listens. Public so that a benchmark can run the same path on a
 * pure {@code SchedulerState}.
 */
public final class PluginEventFeed implements SchedulerEvents {

    private SchedulerPluginHost plugins;

    /**
     * The host to feed. Called once, right after the host is made: the host needs the state (as
     * its view) and the state needs this feed, so the feed comes first and is connected after.
     */
    public void connect(SchedulerPluginHost host) {
        if (plugins != null) {
            throw new IllegalStateException("already connected");
        }
        plugins = Objects.requireNonNull(host, "host");
    }

    @Override
    public void transition(TaskState task, SchedulerTaskState start, SchedulerTaskState finish, String worker,
            String stimulusId) {
        if (!plugins.wantsTransition(start, finish)) {
            return; // no plugin, or none that wants this transition: no event
        }
        plugins.transition(event(task, start, finish, worker, stimulusId));
    }

    /**
     * The event a plugin gets for one transition, with the context as the task now is: the error,
     * its traceback and the blamed key ({@code cause}) on {@code erred}.
     */
    public static TransitionEvent event(TaskState task, SchedulerTaskState start, SchedulerTaskState finish,
            String worker, String stimulusId) {
        boolean erred = finish == SchedulerTaskState.ERRED;
        return new TransitionEvent(task.key(), start, finish, stimulusId, worker, task.nbytes(), task.typeName(),
                task.startstops(), erred ? task.exceptionText() : null, erred ? task.traceback() : null,
                erred ? task.exceptionBlame() : null);
    }

    @Override
    public void graphUpdated(String client, Set<String> wanted, List<TaskState> newTasks, String stimulusId) {
        if (plugins.wantsGraphEvents()) { // the event copies every key: only if some plugin handles it
            plugins.updateGraph(graphEvent(client, wanted, newTasks, stimulusId));
        }
    }

    /**
     * The event a plugin gets for a graph: the new keys, each one's priority, and the annotations by
     * name, then key (as Dask's {@code update_graph} gets them).
     */
    public static GraphEvent graphEvent(String client, Set<String> wanted, List<TaskState> newTasks,
            String stimulusId) {
        Set<String> keys = new HashSet<>(newTasks.size() * 2);
        Map<String, TaskPriority> priorities = new HashMap<>(newTasks.size() * 2);
        Map<String, Map<String, Object>> annotations = new HashMap<>();
        for (TaskState ts : newTasks) {
            keys.add(ts.key());
            priorities.put(ts.key(), ts.priority());
            ts.annotations().forEach((name, value) -> annotations.computeIfAbsent(name, n -> new HashMap<>())
                    .put(ts.key(), value));
        }
        return new GraphEvent(client, wanted, keys, stimulusId, priorities, annotations);
    }

    @Override
    public void workerAdded(WorkerRecord worker, String stimulusId) {
        if (!plugins.isEmpty()) {
            plugins.addWorker(new WorkerEvent(worker.address(), worker.nthreads(), stimulusId));
        }
    }

    @Override
    public void workerRemoved(WorkerRecord worker, String stimulusId) {
        if (!plugins.isEmpty()) {
            plugins.removeWorker(new WorkerEvent(worker.address(), worker.nthreads(), stimulusId));
        }
    }

    @Override
    public void clientAdded(String client) {
        if (!plugins.isEmpty()) {
            plugins.addClient(new ClientEvent(client));
        }
    }

    @Override
    public void clientRemoved(String client) {
        if (!plugins.isEmpty()) {
            plugins.removeClient(new ClientEvent(client));
        }
    }

    // ---- control (cancel, restart, events)

    @Override
    public void eventLogged(LogEvent event) {
        if (!plugins.isEmpty()) {
            plugins.logEvent(event);
        }
    }

    @Override
    public void restarted(String stimulusId) {
        if (!plugins.isEmpty()) {
            plugins.restart();
        }
    }
}
