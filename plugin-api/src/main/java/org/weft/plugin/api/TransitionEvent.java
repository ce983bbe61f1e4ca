package org.weft.plugin.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One elementary transition of a task on the scheduler. Immutable; safe to hand to another thread.
 *
 * <p>{@code finish} is the state the task actually reached (so {@code waiting → waiting} style
 * reports are possible where Dask would report the requested state). A transition that is not an
 * edge of the table is reported as two events through {@code released}.
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
        String traceback) {

    public TransitionEvent {
        startstops = startstops == null ? List.of() : List.copyOf(startstops);
    }
}
