package org.weft.plugin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Extends the nanny that supervises a worker process. Same name again: the old one's
 * {@link #teardown}, then the new one's {@link #setup} (Dask leaves the old one running).
 *
 * @since 1.0
 */
@ConsumerType
public interface NannyPlugin {

    /** Attach to a nanny. */
    default void setup(NannyView nanny) throws Exception {
    }

    /** Detach from a nanny. */
    default void teardown(NannyView nanny) throws Exception {
    }

    /** Whether the nanny restarts its worker after a successful {@link #setup}. */
    default boolean restart() {
        return false;
    }
}
