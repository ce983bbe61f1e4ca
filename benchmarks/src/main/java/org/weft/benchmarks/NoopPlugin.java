package org.weft.benchmarks;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.TransitionEvent;

/**
 * A synchronous scheduler plugin that does nothing in {@link #transition} but be called; it counts
 * the calls (loop thread only) so the harness can show it really was.
 */
final class NoopPlugin implements SchedulerPlugin {

    private volatile long calls;

    @Override
    public void transition(TransitionEvent event) {
        calls++; // single writer: the scheduler loop thread
    }

    long calls() {
        return calls;
    }
}
