package org.weft.client;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a {@link WeftFuture} stands. {@link #PENDING} is the only state a future leaves; every other
 * state is final.
 *
 * @since 1.0
 */
@ProviderType
public enum FutureStatus {
    /** Submitted; the scheduler has not reported a result or an error yet. */
    PENDING,
    /** The result is in memory on a worker (or already gathered); {@link WeftFuture#get()} returns it. */
    FINISHED,
    /** The task, or one it depends on, failed; or the scheduler rejected the graph it came in. */
    ERROR,
    /** This client cancelled or released the future before it finished. */
    CANCELLED,
    /** The scheduler forgot the key, the connection was lost, or the client was closed. */
    LOST;

    /** Whether this is a final state. */
    public boolean isDone() {
        return this != PENDING;
    }
}
