package org.weft.protocol;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What became of one worker the client asked the scheduler to retire.
 *
 * @param worker the worker's address
 * @param retired whether it was retired: its unique results now live elsewhere and it was closed
 * @param movedTo for each result only this worker held, the worker it was copied to (empty if none)
 * @param reason why it was not retired ({@code null} if it was)
 * @since 1.1
 */
@ProviderType
public record RetireOutcome(String worker, boolean retired, Map<String, String> movedTo, String reason) {

    public RetireOutcome {
        movedTo = movedTo == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(movedTo));
    }

    public static RetireOutcome retired(String worker, Map<String, String> movedTo) {
        return new RetireOutcome(worker, true, movedTo, null);
    }

    public static RetireOutcome notRetired(String worker, String reason) {
        return new RetireOutcome(worker, false, Map.of(), reason);
    }
}
