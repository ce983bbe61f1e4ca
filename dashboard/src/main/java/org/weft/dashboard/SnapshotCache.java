package org.weft.dashboard;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Asks the scheduler for a snapshot at most once per {@code maxAgeMillis}, whoever asks (the live
 * feed, {@code /metrics}, the API), and works out the rates between consecutive samples.
 */
final class SnapshotCache {

    private static final long TIMEOUT_SECONDS = 10;

    private final Supplier<CompletableFuture<Map<String, Object>>> source;
    private final long maxAgeNanos;
    private Sample latest;

    SnapshotCache(Supplier<CompletableFuture<Map<String, Object>>> source, long maxAgeMillis) {
        this.source = source;
        this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMillis);
    }

    /** A sample no older than the limit, asking the scheduler if needed (waits up to 10 s). */
    synchronized Sample fresh() throws InterruptedException, ExecutionException, TimeoutException {
        long now = System.nanoTime();
        if (latest != null && now - latest.nanoTime() < maxAgeNanos) {
            return latest;
        }
        Map<String, Object> snapshot = source.get().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        latest = next(latest, snapshot, System.nanoTime());
        return latest;
    }

    /** The sample after {@code previous}: rates over the time between them. */
    static Sample next(Sample previous, Map<String, Object> snapshot, long nanoTime) {
        Sample bare = new Sample(snapshot, nanoTime, 0, 0);
        if (previous == null || nanoTime <= previous.nanoTime()) {
            return bare;
        }
        double seconds = (nanoTime - previous.nanoTime()) / 1e9;
        double transitions = Math.max(0, bare.number("transitions") - previous.number("transitions")) / seconds;
        double busy = Math.max(0, bare.loopBusyNanos() - previous.loopBusyNanos()) / 1e9 / seconds;
        return new Sample(snapshot, nanoTime, transitions, Math.min(1.0, busy));
    }
}
