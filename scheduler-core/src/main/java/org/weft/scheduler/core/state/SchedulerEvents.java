package org.weft.scheduler.core.state;

import java.util.List;
import java.util.Set;

import org.weft.plugin.api.LogEvent;
import org.weft.plugin.api.SchedulerTaskState;

/**
 * Callbacks from {@link SchedulerState} at the exact points plugins must see: the state machine
 * stays free of I/O and simply tells whoever listens (the plugin host, via the loop).
 */
public interface SchedulerEvents {

    /**
     * A task made one elementary transition. Called after the transition was applied; a task
     * going to forgotten is still in {@code tasks()} during this call.
     *
     * @param worker the worker involved, or {@code null}
     */
    default void transition(TaskState task, SchedulerTaskState start, SchedulerTaskState finish, String worker,
            String stimulusId) {
    }

    /** New tasks exist and have not transitioned yet; {@code newTasks} best priority first, valid during the call. */
    default void graphUpdated(String client, Set<String> wanted, List<TaskState> newTasks, String stimulusId) {
    }

    /** A worker joined; called before it is given any work. */
    default void workerAdded(WorkerRecord worker, String stimulusId) {
    }

    /** A worker left; called after its tasks were rescheduled. */
    default void workerRemoved(WorkerRecord worker, String stimulusId) {
    }

    default void clientAdded(String client) {
    }

    default void clientRemoved(String client) {
    }

    // ---------------------------------------------------------------- control (cancel, restart, events)

    /** An event was logged under one topic; called once per topic (also for an event under several). */
    default void eventLogged(LogEvent event) {
    }

    /** Task state was cleared by a restart; called after the clearing. */
    default void restarted(String stimulusId) {
    }

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    SchedulerEvents NONE = new SchedulerEvents() {
    };
}
