package org.weft.itests;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;

/** A scheduler plugin registered by the tests themselves: counts its lifecycle calls and events. */
public final class RecordingPlugin implements SchedulerPlugin {

    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicLong transitions = new AtomicLong();
    /** processing → memory, as the counter example counts. */
    final AtomicLong finished = new AtomicLong();
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public void start(SchedulerView scheduler) {
        starts.incrementAndGet();
        started.countDown();
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        closed.countDown();
    }

    @Override
    public void transition(TransitionEvent event) {
        transitions.incrementAndGet();
        if (event.start() == SchedulerTaskState.PROCESSING && event.finish() == SchedulerTaskState.MEMORY) {
            finished.incrementAndGet();
        }
    }
}
