package org.weft.client;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told how a set of futures is getting on; see {@link Client#progress}. Called on the thread that
 * completed a future (a connection thread) or on the caller of {@code progress}, never
 * concurrently for one {@link Progress}, and with counts that never go down. Must not block.
 *
 * @since 1.0
 */
@ConsumerType
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param done how many futures finished successfully
     * @param erred how many ended any other way (error, cancelled, lost)
     * @param total how many futures are watched; all are done when {@code done + erred == total}
     */
    void progress(int done, int erred, int total);
}
