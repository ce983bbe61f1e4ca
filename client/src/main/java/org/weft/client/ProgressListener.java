package org.weft.client;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told how a set of futures is getting on; see {@link Client#progress}. Called on the thread that
 * completed a future (a connection thread) or on the caller of {@code progress}, never
 * concurrently for one {@link Progress}, and with counts that never go down. Must not block.
 *
 * <p>Weft calls {@link #progress(int, int, int, int)}, which counts cancelled futures apart; a
 * listener written as a lambda implements the three-count form and gets cancelled ones counted
 * as erred.
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

    /**
     * The counts with cancelled futures apart from failed ones. The default calls
     * {@link #progress(int, int, int)} with {@code erred + cancelled} as {@code erred}.
     *
     * @param done how many futures finished successfully
     * @param erred how many failed or were lost
     * @param cancelled how many were cancelled (by {@link WeftFuture#cancel}, a release or a restart)
     * @param total how many futures are watched; all are done when
     *        {@code done + erred + cancelled == total}
     * @since 1.2
     */
    default void progress(int done, int erred, int cancelled, int total) {
        progress(done, erred + cancelled, total);
    }
}
