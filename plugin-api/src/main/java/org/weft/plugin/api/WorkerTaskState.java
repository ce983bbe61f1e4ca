package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The states of a task on a worker, as in Dask's worker state machine.
 *
 * <p>Allowed edges: released→{waiting, fetch, missing, memory, error, forgotten};
 * waiting→{ready, constrained, released}; ready→{executing, released};
 * constrained→{executing, released}; executing→{memory, error, long-running, rescheduled, released};
 * long-running→{memory, error, rescheduled, released}; fetch→{flight, missing, released};
 * flight→{memory, fetch, missing, error, released}; missing→{fetch, waiting, error, released};
 * memory→released; error→released; released→forgotten.
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
    CANCELLED("cancelled"),
    RESUMED("resumed"),
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
