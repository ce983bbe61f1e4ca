package org.weft.scheduler.core.plugin;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-plugin call figures. Thread-safe: an async plugin's calls are counted on its own thread while
 * the loop reads the figures for {@code weft:plugins}.
 */
final class PluginStats {

    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final AtomicLong maxNanos = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    void succeeded(long nanos) {
        timed(nanos);
        consecutiveFailures.set(0);
    }

    /** @return the number of consecutive failures, this one included */
    int failed(long nanos) {
        timed(nanos);
        errors.increment();
        return consecutiveFailures.incrementAndGet();
    }

    /** @return the total dropped so far */
    long dropped(long count) {
        return dropped.addAndGet(count);
    }

    private void timed(long nanos) {
        calls.increment();
        totalNanos.add(nanos);
        maxNanos.accumulateAndGet(nanos, Math::max);
    }

    long calls() {
        return calls.sum();
    }

    long errors() {
        return errors.sum();
    }

    long meanNanos() {
        long n = calls.sum();
        return n == 0 ? 0 : totalNanos.sum() / n;
    }

    long maxNanos() {
        return maxNanos.get();
    }

    long dropped() {
        return dropped.get();
    }
}
