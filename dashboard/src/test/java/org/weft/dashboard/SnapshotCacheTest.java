package org.weft.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** How often the snapshot cache asks the scheduler: at most once per its age, less for a slow answer. */
class SnapshotCacheTest {

    private static CompletableFuture<Map<String, Object>> answerAfter(long millis, AtomicInteger asked) {
        asked.incrementAndGet();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return CompletableFuture.completedFuture(Map.of("transitions", asked.get()));
    }

    @Test
    void theFeedWaitsLongerForASlowSnapshot() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        SnapshotCache cache = new SnapshotCache(() -> answerAfter(100, asked), 0);
        Sample first = cache.forFeed();
        assertSame(first, cache.forFeed(), "100 ms or more to answer: the next one in no less than 4 s");
        assertEquals(1, asked.get());
        cache.fresh();
        assertEquals(2, asked.get(), "other callers get a fresh one past the age limit");
    }

    @Test
    void aSnapshotIsAskedForAgainOnceOlderThanItsCostAllows() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        SnapshotCache cache = new SnapshotCache(() -> answerAfter(1, asked), 0);
        cache.forFeed();
        Thread.sleep(SnapshotCache.FEED_COST_MULTIPLE * cache.costNanos() / 1_000_000 + 1);
        cache.forFeed();
        assertEquals(2, asked.get());
    }
}
