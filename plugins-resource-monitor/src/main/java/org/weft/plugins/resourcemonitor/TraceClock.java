package org.weft.plugins.resourcemonitor;

/**
 * Microseconds since the Unix epoch with {@code System.nanoTime()} resolution: the wall clock read
 * once, then advanced by the monotonic clock. Every trace timestamp of this process comes from here,
 * so spans never run backwards and separate processes line up by their wall clocks.
 */
final class TraceClock {

    private static final long EPOCH_MICROS = System.currentTimeMillis() * 1000;
    private static final long ORIGIN_NANOS = System.nanoTime();

    private TraceClock() {
    }

    static long nowMicros() {
        return EPOCH_MICROS + (System.nanoTime() - ORIGIN_NANOS) / 1000;
    }
}
