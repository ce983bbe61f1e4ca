package org.weft.plugins.rabbitmq;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.TransitionEvent;

/**
 * The hand-off from the scheduler loop to the plugin's own thread {@code weft-rabbitmq-taker}: a
 * bounded ring that the loop writes without a lock and without waking anyone; the taker looks
 * every {@value #POLL_MICROS} µs and takes everything there in one go. Waking a parked thread per
 * event costs more than the scheduler's own work per task on a small VM (docs/DEVELOPING.md,
 * pitfall 20), which is why this is not the host's per-event asynchronous queue. When the ring is
 * full (the taker is far behind) the event is dropped and counted, never waited for.
 *
 * <p>One writer at a time (the loop: calls are never concurrent, and each hands over to the
 * next); one reader (the taker).
 */
final class EventHandOff {

    private static final Logger LOG = LoggerFactory.getLogger(EventHandOff.class);
    static final int POLL_MICROS = 500;

    private final TransitionEvent[] ring;
    private final int mask;
    private final AtomicLong tail = new AtomicLong(); // next slot to write; written by the loop
    private final AtomicLong head = new AtomicLong(); // next slot to read; written by the taker
    private final AtomicLong dropped = new AtomicLong();
    private final Thread taker;
    private volatile boolean stopping;

    EventHandOff(int capacityPowerOfTwo, Consumer<TransitionEvent> sink) {
        this.ring = new TransitionEvent[capacityPowerOfTwo];
        this.mask = capacityPowerOfTwo - 1;
        this.taker = new Thread(() -> drainLoop(sink), "weft-rabbitmq-taker");
        taker.setDaemon(true);
        taker.start();
    }

    /** On the scheduler loop: never blocks, never wakes a thread. */
    void offer(TransitionEvent e) {
        long t = tail.get();
        if (t - head.get() >= ring.length) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("RabbitMQ plugin: its thread is {} events behind the scheduler; dropped {} event(s) so far",
                        ring.length, n);
            }
            return;
        }
        ring[(int) t & mask] = e;
        tail.lazySet(t + 1); // publishes the slot to the taker
    }

    private void drainLoop(Consumer<TransitionEvent> sink) {
        while (true) {
            boolean last = stopping; // read before draining: what was offered before stop() is drained below
            long h = head.get();
            long t = tail.get();
            for (; h < t; h++) {
                int i = (int) h & mask;
                TransitionEvent e = ring[i];
                ring[i] = null;
                try {
                    sink.accept(e);
                } catch (RuntimeException ex) {
                    LOG.warn("RabbitMQ plugin could not take the transition of {}", e.key(), ex);
                }
                if ((h & 63) == 63) { // room for the loop, without a store per event
                    head.lazySet(h + 1);
                }
            }
            head.lazySet(h);
            if (last) {
                return;
            }
            if (h == t) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(POLL_MICROS));
            }
        }
    }

    /** After the last {@link #offer}: takes what is left, then ends the thread. */
    void stop() {
        stopping = true;
        LockSupport.unpark(taker);
        try {
            taker.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long dropped() {
        return dropped.get();
    }

    /** Events offered so far (dropped ones included). */
    long offered() {
        return tail.get() + dropped.get();
    }
}
