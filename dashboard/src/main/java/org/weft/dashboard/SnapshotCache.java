package org.weft.dashboard;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Asks the scheduler for a snapshot at most once per {@code maxAgeMillis}, whoever asks (the live
 * feed, {@code /metrics}, the API), and works out the rates between consecutive samples. The live
 * feed asks less often when snapshots are slow to come ({@link #forFeed}).
 */
final class SnapshotCache {

    private static final long TIMEOUT_SECONDS = 10;

    private final Supplier<CompletableFuture<Map<String, Object>>> source;
    private final long maxAgeNanos;
    /**
     * The live feed waits at least this many times as long as the last snapshot took before it asks
     * for the next: a snapshot runs on the scheduler loop (its cost grows with key prefixes and
     * workers, not tasks) and asks every worker process for its plugins (at most once a second),
     * so with a busy loop the page updates its snapshot less often rather than the feed taking
     * more than about 1/40 of the time.
     */
    static final int FEED_COST_MULTIPLE = 40;

    private Sample latest;
    /** How long the last snapshot took to come, from asking to answer. */
    private long costNanos;

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
        long answered = System.nanoTime();
        costNanos = answered - now;
        latest = next(latest, snapshot, answered);
        return latest;
    }

    /** How long the last snapshot took to come, in nanoseconds (0 before the first). */
    synchronized long costNanos() {
        return costNanos;
    }

    /**
     * For the live feed: the latest sample while it is younger than {@link #FEED_COST_MULTIPLE}
     * times what it cost, else a {@link #fresh} one.
     */
    synchronized Sample forFeed() throws InterruptedException, ExecutionException, TimeoutException {
        if (latest != null && System.nanoTime() - latest.nanoTime() < FEED_COST_MULTIPLE * costNanos) {
            return latest;
        }
        return fresh();
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
