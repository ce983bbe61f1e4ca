package org.weft.benchmarks;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.TransitionEvent;

/**
 * A synchronous scheduler plugin that does nothing in {@link #transition} but be called; it counts
 * the calls (loop thread only) so the harness can show it really was. The count is a plain field:
 * a volatile write (a fence) on every call would make the "no-op" plugin cost more than the hook
 * path it is there to measure; the harness reads it after the run, which the loop's hand-offs
 * (results to the client, then the waiting thread) order after the writes.
 */
final class NoopPlugin implements SchedulerPlugin {

    private long calls;

    @Override
    public void transition(TransitionEvent event) {
        calls++; // single writer: the scheduler loop thread
    }

    long calls() {
        return calls;
    }
}
