package org.weft.pluginhost;

import java.util.concurrent.TimeUnit;

/**
 * Rate-limits one kind of repeated log line: the first {@value #FIRST} occurrences are logged, then
 * one in {@value #EVERY}, or one when {@code 10 s} passed since the last logged line. Thread-safe
 * (an async plugin's thread and the loop may both report).
 */
final class LogLimiter {

    static final int FIRST = 5;
    static final long EVERY = 1000;
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private long seen;
    private long suppressed;
    private long lastLoggedNanos;

    /**
     * Counts one occurrence.
     *
     * @return {@code -1} if it should not be logged, else how many were suppressed since the last
     *         logged one
     */
    synchronized long admit() {
        seen++;
        long now = System.nanoTime();
        if (seen <= FIRST || seen % EVERY == 0 || now - lastLoggedNanos >= INTERVAL_NANOS) {
            long s = suppressed;
            suppressed = 0;
            lastLoggedNanos = now;
            return s;
        }
        suppressed++;
        return -1;
    }
}
