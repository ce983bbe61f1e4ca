package org.weft.plugin.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A read-only window on the live scheduler state, handed to {@link SchedulerPlugin#start}.
 *
 * <p>Only call it on the scheduler loop thread, i.e. from a synchronous hook. The maps are live
 * and unmodifiable: what they show is the state right after the transition being reported. During
 * a transition to {@code forgotten} the forgotten task can still be read by key.
 *
 * @since 1.0
 */
@ProviderType
public interface SchedulerView {

    /** Every task the scheduler knows, by key. */
    Map<String, ? extends TaskView> tasks();

    /** Every connected worker, by address. */
    Map<String, ? extends WorkerInfo> workers();

    /** The ids of the connected clients. */
    Set<String> clients();

    /** What happened to a key: the transitions still in the bounded log, oldest first. */
    List<TransitionRecord> story(String key);

    /**
     * Workers with spare capacity: fewer tasks processing than threads, or less than half the
     * average occupancy per thread. Live view, as Dask's {@code Scheduler.idle}.
     *
     * @since 1.1
     */
    default Set<String> idleWorkers() {
        return Set.of();
    }

    /**
     * Workers with clearly more queued work than the cluster average, as Dask's
     * {@code Scheduler.saturated}: candidates to take work from.
     *
     * @since 1.1
     */
    default Set<String> saturatedWorkers() {
        return Set.of();
    }

    /**
     * Asks to move a processing task that has not started yet to another worker (work
     * stealing). The request is sent after the current hook returns; the worker running the task
     * confirms (the task is sent to {@code thief}) or rejects it (the task started or finished
     * meanwhile). Ignored if the task is not processing, already on {@code thief}, already being
     * moved, or {@code thief} is not a worker that may run it. Call it on the loop thread only
     * (from a synchronous hook), like every other method here.
     *
     * @return whether the request will be sent (the default, for views that cannot steal, is false)
     * @since 1.1
     */
    default boolean stealTask(String key, String thief) {
        return false;
    }
}
