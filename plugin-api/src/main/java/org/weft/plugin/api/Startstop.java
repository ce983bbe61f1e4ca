package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One timed phase of a task on a worker, as Dask's {@code startstops}: {@code action} is
 * {@code "compute"} or {@code "transfer"}; times are epoch milliseconds.
 *
 * @param action what was timed
 * @param startMillis when it started, epoch milliseconds
 * @param stopMillis when it stopped, epoch milliseconds
 * @param source for a transfer, the worker the data came from; otherwise {@code null}
 * @since 1.0
 */
@ProviderType
public record Startstop(String action, long startMillis, long stopMillis, String source) {
    /** Duration in milliseconds. */
    public long durationMillis() {
        return stopMillis - startMillis;
    }
}
