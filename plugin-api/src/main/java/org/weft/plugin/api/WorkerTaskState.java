package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The states of a task on a worker, as in Dask's worker state machine.
 *
 * <p>Allowed edges: released→{waiting, fetch, missing, memory, error, forgotten};
 * waiting→{ready, constrained, released}; ready→{executing, released};
 * constrained→{executing, released}; executing→{memory, error, long-running, released};
 * long-running→{memory, error, released}; fetch→{flight, missing, released};
 * flight→{memory, fetch, missing, error, released}; missing→{fetch, waiting, error, released};
 * memory→released; error→released; released→forgotten.
 *
 * <p>{@link #CANCELLED}, {@link #RESUMED} and {@link #RESCHEDULED} are Dask's, and no Weft worker
 * reports them: a task freed while it runs goes {@code executing → released} and its late result is
 * dropped, and a rescheduled task is freed the same way by the scheduler. They stay for binary
 * compatibility and go in the next major version.
 *
 * @since 1.0
 */
@ProviderType
public enum WorkerTaskState {
    RELEASED("released"),
    WAITING("waiting"),
    READY("ready"),
    CONSTRAINED("constrained"),
    EXECUTING("executing"),
    LONG_RUNNING("long-running"),
    MEMORY("memory"),
    ERROR("error"),
    FETCH("fetch"),
    FLIGHT("flight"),
    MISSING("missing"),
    /** Never reported by Weft (see the class comment). */
    @Deprecated
    CANCELLED("cancelled"),
    /** Never reported by Weft (see the class comment). */
    @Deprecated
    RESUMED("resumed"),
    /** Never reported by Weft (see the class comment). */
    @Deprecated
    RESCHEDULED("rescheduled"),
    FORGOTTEN("forgotten");

    private final String label;

    WorkerTaskState(String label) {
        this.label = label;
    }

    /** The name Dask uses, e.g. {@code long-running}. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
