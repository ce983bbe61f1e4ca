package org.weft.pluginhost;

import java.util.concurrent.atomic.AtomicInteger;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;

/** Counts starts, transitions and closes. */
class CountingPlugin implements SchedulerPlugin {

    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger transitions = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public void start(SchedulerView scheduler) {
        starts.incrementAndGet();
    }

    @Override
    public void transition(TransitionEvent event) {
        transitions.incrementAndGet();
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
