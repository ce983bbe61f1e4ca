package org.weft.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.TransitionEvent;

/**
 * A scheduler plugin that waits {@code millis} in every {@link #transition} (as one writing to a
 * slow service would), until {@link #hurry} is called. Meant for asynchronous delivery: its own
 * thread calls it, and counts the calls.
 */
final class SlowPlugin implements SchedulerPlugin {

    private final long nanos;
    private volatile boolean hurry;
    private volatile long calls;

    SlowPlugin(long millis) {
        this.nanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Override
    public void transition(TransitionEvent event) {
        calls++; // single writer: the plugin's delivery thread
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !hurry; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** From now on every event returns at once. */
    void hurry() {
        hurry = true;
    }

    long calls() {
        return calls;
    }
}
