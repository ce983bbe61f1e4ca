package org.weft.pluginhost;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
 * {@code weft:plugins}) read with acquire loads and may see figures a moment old, never torn.
 *
 * <p>The counters are plain {@code long} fields written through {@link VarHandle}s, not
 * {@code AtomicLong}s: an event call then touches the figures' one object rather than a chain of
 * them (slot, figures, counter), which in the running loop, where the task state keeps evicting
 * the plugins' objects from the cache, was most of a no-op plugin's cost per call.
 */
final class PluginStats {

    /** Calls timed one by one before sampling starts. */
    static final long TIME_EVERY_CALL_UNTIL = 1024;
    /** After that, one call in this many is timed (a power of two). */
    static final long SAMPLE_PERIOD = 256;

    private static final VarHandle CONSECUTIVE_FAILURES = handle(PluginStats.class, "consecutiveFailures", int.class);
    private static final VarHandle DROPPED = handle(PluginStats.class, "dropped", long.class);

    /** A handle on one of this file's counter fields (the nested class's too: they are nestmates). */
    private static VarHandle handle(Class<?> owner, String field, Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(owner, field, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Figures with a single writer thread. */
    static final class Figures {
        private static final VarHandle CALLS = handle(Figures.class, "calls", long.class);
        private static final VarHandle ERRORS = handle(Figures.class, "errors", long.class);
        private static final VarHandle TIMED_CALLS = handle(Figures.class, "timedCalls", long.class);
        private static final VarHandle TIMED_NANOS = handle(Figures.class, "timedNanos", long.class);
        private static final VarHandle MAX_NANOS = handle(Figures.class, "maxNanos", long.class);

        // written only by the one writer thread (plain reads there are its own writes), with release stores
        private long calls;
        private long errors;
        private long timedCalls;
        private long timedNanos;
        private long maxNanos;

        /** Whether the next call should be timed; writer thread only. */
        boolean timeNext() {
            long n = calls;
            return n < TIME_EVERY_CALL_UNTIL || (n & (SAMPLE_PERIOD - 1)) == 0;
        }

        /** Counts one call; {@code nanos} is its duration if it was timed, else negative. Writer thread only. */
        void count(long nanos, boolean failed) {
            CALLS.setRelease(this, calls + 1);
            if (failed) {
                ERRORS.setRelease(this, errors + 1);
            }
            if (nanos >= 0) {
                TIMED_CALLS.setRelease(this, timedCalls + 1);
                TIMED_NANOS.setRelease(this, timedNanos + nanos);
                if (nanos > maxNanos) {
                    MAX_NANOS.setRelease(this, nanos);
                }
            }
        }

        long calls() {
            return (long) CALLS.getAcquire(this);
        }

        long errors() {
            return (long) ERRORS.getAcquire(this);
        }

        long timedCalls() {
            return (long) TIMED_CALLS.getAcquire(this);
        }

        long timedNanos() {
            return (long) TIMED_NANOS.getAcquire(this);
        }

        long maxNanos() {
            return (long) MAX_NANOS.getAcquire(this);
        }
    }

    private final Figures events = new Figures();
    private final Figures queries = new Figures();
    private long dropped;
    private int consecutiveFailures;

    /** Written only by the thread that delivers events to the plugin. */
    Figures events() {
        return events;
    }

    /** Written only by the loop thread, for hooks that answer ({@code validWorkersDownscaling}). */
    Figures queries() {
        return queries;
    }

    void succeeded() {
        if ((int) CONSECUTIVE_FAILURES.getOpaque(this) != 0) { // a plain read on the hot path, a write only after failures
            CONSECUTIVE_FAILURES.setVolatile(this, 0);
        }
    }

    /** @return the number of consecutive failures, this one included */
    int failed() {
        return (int) CONSECUTIVE_FAILURES.getAndAdd(this, 1) + 1;
    }

    /**
     * Adds to the events dropped: a plain add (no atomic read-modify-write), as only the host's loop
     * thread drops events; others read the figure.
     *
     * @return the total dropped so far
     */
    long dropped(long count) {
        long total = (long) DROPPED.getOpaque(this) + count;
        DROPPED.setRelease(this, total);
        return total;
    }

    long calls() {
        return events.calls() + queries.calls();
    }

    long errors() {
        return events.errors() + queries.errors();
    }

    /** Mean of the timed calls. */
    long meanNanos() {
        long n = events.timedCalls() + queries.timedCalls();
        return n == 0 ? 0 : (events.timedNanos() + queries.timedNanos()) / n;
    }

    /** Max of the timed calls. */
    long maxNanos() {
        return Math.max(events.maxNanos(), queries.maxNanos());
    }

    long dropped() {
        return (long) DROPPED.getVolatile(this);
    }
}
