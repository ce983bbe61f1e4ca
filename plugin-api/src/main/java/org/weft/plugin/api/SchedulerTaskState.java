package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The states of a task on the scheduler, as in Dask.
 *
 * <p>Allowed edges: released→{waiting, forgotten, erred}; waiting→{released, processing, no-worker,
 * queued, memory}; queued→{released, processing, erred}; processing→{released, memory, erred};
 * no-worker→{released, processing, erred}; memory→{released, forgotten, erred}; erred→released.
 * Any other pair goes through {@link #RELEASED} and a plugin sees both legs.
 *
 * @since 1.0
 */
@ProviderType
public enum SchedulerTaskState {
    RELEASED("released"),
    WAITING("waiting"),
    NO_WORKER("no-worker"),
    QUEUED("queued"),
    PROCESSING("processing"),
    MEMORY("memory"),
    ERRED("erred"),
    FORGOTTEN("forgotten");

    private final String label;

    SchedulerTaskState(String label) {
        this.label = label;
    }

    /** The name Dask uses, e.g. {@code no-worker}. */
    public String label() {
        return label;
    }

    /** Parses a Dask-style label ({@code no-worker}) or an enum name ({@code NO_WORKER}), any case. */
    public static SchedulerTaskState parse(String text) {
        for (SchedulerTaskState s : values()) {
            if (s.label.equalsIgnoreCase(text) || s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scheduler task state '" + text + "'; expected one of "
                + java.util.Arrays.stream(values()).map(SchedulerTaskState::label).toList());
    }

    @Override
    public String toString() {
        return label;
    }
}
