package org.weft.worker.state;

import org.weft.plugin.api.WorkerTaskState;

/** Callbacks from {@link WorkerState} for the worker's plugin host. */
public interface WorkerEvents {

    /** One elementary transition, after it was applied; a forgotten task is still readable. */
    default void transition(WorkerTask task, WorkerTaskState start, WorkerTaskState finish, String stimulusId) {
    }

    /** A key was released. */
    default void releaseKey(WorkerTask task, WorkerTaskState state, String cause, String reason, boolean report) {
    }

    WorkerEvents NONE = new WorkerEvents() {
    };
}
