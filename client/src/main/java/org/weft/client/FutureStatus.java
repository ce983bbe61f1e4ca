package org.weft.client;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a {@link WeftFuture} stands. {@link #PENDING} goes to any other state; {@link #FINISHED}
 * becomes {@link #CANCELLED} when the future is cancelled or the scheduler restarts (as in Dask);
 * every other state is final.
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
    /**
     * Cancelled: this client cancelled it (finished or not) or released it before it finished,
     * another client cancelled its key with {@code force}, or the scheduler restarted.
     */
    CANCELLED,
    /** The scheduler forgot the key, the connection was lost, or the client was closed. */
    LOST;

    /** Whether the future is done: any state but {@link #PENDING} (only a finished one may still be cancelled). */
    public boolean isDone() {
        return this != PENDING;
    }
}
