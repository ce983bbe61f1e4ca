package org.weft.scheduler.core.plugin;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-plugin call figures, cheap enough to keep on every call of a no-op plugin.
 *
 * <p><b>Timing is sampled.</b> Reading the clock costs more than a no-op hook call (100–200 ns per
 * {@link System#nanoTime} on a VM's kvm-clock), so the first {@link #TIME_EVERY_CALL_UNTIL} calls
 * are timed one by one and after that one call in {@link #SAMPLE_PERIOD}: the mean and max are
 * those of the timed calls, and a slow call is noticed when it is timed. Calls and errors are
 * counted exactly.
 *
 * <p>Thread-safety without atomic instructions on the hot path: each {@link Figures} has one
 * writer. Events are counted in {@link #events} by the thread that delivers them (the loop for a
 * sync plugin, the plugin's own thread for an async one); direct queries, always on the loop, in
 * {@link #queries}. Writers publish with release stores; readers (the loop, for
 * {@code weft:plugins}) may see figures a moment old, never torn.
 */
final class PluginStats {

    /** Calls timed one by one before sampling starts. */
    static final long TIME_EVERY_CALL_UNTIL = 1024;
    /** After that, one call in this many is timed (a power of two). */
    static final long SAMPLE_PERIOD = 256;

    /** Figures with a single writer thread. */
    static final class Figures {
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final AtomicLong timedCalls = new AtomicLong();
        private final AtomicLong timedNanos = new AtomicLong();
        private final AtomicLong maxNanos = new AtomicLong();

        /** Whether the next call should be timed. */
        boolean timeNext() {
            long n = calls.get();
            return n < TIME_EVERY_CALL_UNTIL || (n & (SAMPLE_PERIOD - 1)) == 0;
        }

        /** Counts one call; {@code nanos} is its duration if it was timed, else negative. */
        void count(long nanos, boolean failed) {
            // single writer: get-then-lazySet is an increment without a locked instruction
            calls.lazySet(calls.get() + 1);
            if (failed) {
                errors.lazySet(errors.get() + 1);
            }
            if (nanos >= 0) {
                timedCalls.lazySet(timedCalls.get() + 1);
                timedNanos.lazySet(timedNanos.get() + nanos);
                if (nanos > maxNanos.get()) {
                    maxNanos.lazySet(nanos);
                }
            }
        }
    }

    private final Figures events = new Figures();
    private final Figures queries = new Figures();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    /** Written only by the thread that delivers events to the plugin. */
    Figures events() {
        return events;
    }

    /** Written only by the loop thread, for hooks that answer ({@code validWorkersDownscaling}). */
    Figures queries() {
        return queries;
    }

    void succeeded() {
        if (consecutiveFailures.get() != 0) { // a plain read on the hot path, a write only after failures
            consecutiveFailures.set(0);
        }
    }

    /** @return the number of consecutive failures, this one included */
    int failed() {
        return consecutiveFailures.incrementAndGet();
    }

    /** @return the total dropped so far */
    long dropped(long count) {
        return dropped.addAndGet(count);
    }

    long calls() {
        return events.calls.get() + queries.calls.get();
    }

    long errors() {
        return events.errors.get() + queries.errors.get();
    }

    /** Mean of the timed calls. */
    long meanNanos() {
        long n = events.timedCalls.get() + queries.timedCalls.get();
        return n == 0 ? 0 : (events.timedNanos.get() + queries.timedNanos.get()) / n;
    }

    /** Max of the timed calls. */
    long maxNanos() {
        return Math.max(events.maxNanos.get(), queries.maxNanos.get());
    }

    long dropped() {
        return dropped.get();
    }
}
