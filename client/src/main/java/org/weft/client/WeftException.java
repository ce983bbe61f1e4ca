package org.weft.client;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Base of the client's unchecked exceptions. Thrown as such when a blocking call is interrupted
 * (the cause is the {@link InterruptedException}; the interrupt flag is restored), or when the
 * connection fails to deliver a graph or a result.
 *
 * @since 1.0
 */
@ProviderType
public class WeftException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public WeftException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public WeftException(String message, Throwable cause) {
        super(message, cause);
    }
}
