package org.weft.plugins.rabbitmq;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;

/**
 * The scheduler plugin {@value #NAME}: declares the configured transitions through
 * {@link #wantsTransition} (so the scheduler builds no other event for it) and hands each one to
 * the {@link TransitionPublisher}. {@link #transition} runs on the scheduler loop and only puts
 * the event in the {@link EventHandOff} (no lock, no wake-up); the plugin's own thread does the
 * rest, and nothing on the loop ever waits for the broker.
 * A change of the transitions to publish registers a new instance under the same name; the
 * host hands over between two events.
 */
final class TransitionPlugin implements SchedulerPlugin {

    static final String NAME = "rabbitmq";

    private final TransitionPublisher publisher;
    private final TransitionFilter filter;
    private final Supplier<String> statusLine;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean started;

    TransitionPlugin(TransitionPublisher publisher, TransitionFilter filter, Supplier<String> statusLine) {
        this.publisher = publisher;
        this.filter = filter;
        this.statusLine = statusLine;
    }

    TransitionFilter filter() {
        return filter;
    }

    @Override
    public void start(SchedulerView scheduler) {
        started = true;
    }

    /** Whether a scheduler started this plugin (only then will it be closed). */
    boolean started() {
        return started;
    }

    @Override
    public boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
        return filter.wants(start, finish);
    }

    @Override
    public void transition(TransitionEvent event) {
        publisher.offer(event);
    }

    @Override
    public String statusLine() {
        return statusLine.get();
    }

    @Override
    public void close() {
        closed.countDown();
    }

    /** Waits until the host closed this plugin (after its last event), at most {@code millis}. */
    boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }
}
