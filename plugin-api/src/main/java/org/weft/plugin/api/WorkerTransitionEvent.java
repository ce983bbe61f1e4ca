package org.weft.plugin.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One transition of a task on a worker. Unlike Dask, which reports the requested state and no
 * context, Weft reports the actual finish state and the same context as on the scheduler.
 *
 * @param key the task key
 * @param start the state before
 * @param finish the state actually reached
 * @param stimulusId the stimulus that caused it
 * @param worker this worker's address
 * @param nbytes result size where known, else {@code -1}
 * @param startstops timed phases so far
 * @param exceptionText the error message on a transition to {@code error}, else {@code null}
 * @param traceback the stack trace text on a transition to {@code error}, else {@code null}
 * @since 1.0
 */
@ProviderType
public record WorkerTransitionEvent(
        String key,
        WorkerTaskState start,
        WorkerTaskState finish,
        String stimulusId,
        String worker,
        long nbytes,
        List<Startstop> startstops,
        String exceptionText,
        String traceback) {

    public WorkerTransitionEvent {
        startstops = startstops == null ? List.of() : List.copyOf(startstops);
    }
}
