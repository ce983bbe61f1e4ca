package org.weft.client;

import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A timed wait ({@link WeftFuture#get(long, TimeUnit)}, {@link Client#gather(java.util.Collection,
 * long, TimeUnit)}) ran out. Unchecked, like every exception of this package; the future itself is
 * unaffected and may still finish.
 *
 * @since 1.0
 */
@ProviderType
public class WeftTimeoutException extends WeftException {

    private static final long serialVersionUID = 1L;

    /** @param message what was not done in time */
    public WeftTimeoutException(String message) {
        super(message);
    }
}
