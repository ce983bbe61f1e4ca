package org.weft.client;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The scheduler refused a submitted graph as a whole (an unknown function, a reference to a key it
 * does not know, a cycle...); nothing of it was accepted. {@link Client#submit}, {@link Client#map}
 * and {@link Client#compute} throw it, and every future of that submission fails with it.
 *
 * @since 1.0
 */
@ProviderType
public class GraphRejectedException extends WeftException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /** @param reason the scheduler's reason */
    public GraphRejectedException(String reason) {
        super("graph rejected: " + reason);
        this.reason = reason;
    }

    /** The scheduler's reason, as it sent it. */
    public String reason() {
        return reason;
    }
}
