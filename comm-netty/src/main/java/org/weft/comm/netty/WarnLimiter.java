package org.weft.comm.netty;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps peers from flooding the log: at most {@code perWindow} warnings about bad peers in each
 * window; past that they are counted, and the next warning after the window says how many were
 * left out (the transport's counts have them all). Thread-safe.
 */
final class WarnLimiter {

    private final int perWindow;
    private final long windowMillis;
    private final LongSupplier clock;
    private long windowStart;
    private int logged;
    private int suppressed;

    WarnLimiter(int perWindow, long windowMillis, LongSupplier clock) {
        this.perWindow = perWindow;
        this.windowMillis = windowMillis;
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /** Passes {@code warning} to {@code log} unless this window's share is spent; may first pass a line about those left out. */
    synchronized void warn(String warning, Consumer<String> log) {
        long now = clock.getAsLong();
        if (now - windowStart >= windowMillis) {
            if (suppressed > 0) {
                log.accept(suppressed + " more warnings about peers in the last " + (now - windowStart) / 1000
                        + " s were not logged (the transport's counts, weft:status, have them)");
            }
            windowStart = now;
            logged = 0;
            suppressed = 0;
        }
        if (logged < perWindow) {
            logged++;
            log.accept(warning);
        } else {
            suppressed++;
        }
    }
}
