package org.weft.plugin.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One elementary transition of a task on the scheduler. Immutable; safe to hand to another thread.
 *
 * <p>{@code finish} is the state the task actually reached, which may be the state it started in:
 * a requested edge that leaves the task where it was is reported as such (e.g. {@code no-worker →
 * no-worker} when a worker joins that may not run it, {@code waiting → waiting} when a worker
 * reports a result the scheduler had taken back from it). When no worker can take a task, Weft
 * reports one {@code waiting → queued} or {@code waiting → no-worker}; Dask reports
 * {@code waiting → waiting} first. A transition that is not an edge of the table is reported as
 * two events through {@code released}; a result nothing needs any more goes {@code memory →
 * forgotten} directly, as in Dask.
 *
 * <p>The context describes the task as it is after the transition: {@code nbytes} and
 * {@code typeName} are those of the result it holds, so they are unknown once the result is gone
 * (a {@code memory → released} event still names the result it freed).
 *
 * @param key the task key
 * @param start the state before
 * @param finish the state actually reached
 * @param stimulusId the id of the stimulus that caused it (e.g. {@code task-finished-…})
 * @param worker the worker involved (the one processing or holding the task), or {@code null}
 * @param nbytes the size of the result where known, else {@code -1}
 * @param typeName the result's type name where known, else {@code null}
 * @param startstops timed phases reported by the worker (empty when none)
 * @param exceptionText the error message for transitions to {@code erred}, else {@code null}
 * @param traceback the remote stack trace text for transitions to {@code erred}, else {@code null}
 * @param cause for transitions to {@code erred}, the key the error is blamed on (this task's own, or
 *        the failed dependency's, as Dask's {@code cause}), else {@code null}; since 1.3
 * @since 1.0
 */
@ProviderType
public record TransitionEvent(
        String key,
        SchedulerTaskState start,
        SchedulerTaskState finish,
        String stimulusId,
        String worker,
        long nbytes,
        String typeName,
        List<Startstop> startstops,
        String exceptionText,
        String traceback,
        String cause) {

    public TransitionEvent {
        startstops = startstops == null ? List.of() : List.copyOf(startstops);
    }

    /** An event without a {@code cause}, as in 1.0 – 1.2. */
    public TransitionEvent(String key, SchedulerTaskState start, SchedulerTaskState finish, String stimulusId,
            String worker, long nbytes, String typeName, List<Startstop> startstops, String exceptionText,
            String traceback) {
        this(key, start, finish, stimulusId, worker, nbytes, typeName, startstops, exceptionText, traceback, null);
    }
}
