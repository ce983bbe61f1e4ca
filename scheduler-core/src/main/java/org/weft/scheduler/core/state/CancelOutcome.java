package org.weft.scheduler.core.state;

import java.util.List;

/**
 * What a cancel did with the keys asked for (their dependents are not listed).
 *
 * @param cancelled keys no client wants any more
 * @param kept keys still wanted by other clients (a forced cancel takes them too)
 * @param unknown keys the scheduler does not know
 */
public record CancelOutcome(List<String> cancelled, List<String> kept, List<String> unknown) {

    public CancelOutcome {
        cancelled = List.copyOf(cancelled);
        kept = List.copyOf(kept);
        unknown = List.copyOf(unknown);
    }
}
