package org.weft.plugins.rabbitmq;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.TransitionEvent;

/**
 * The hand-off from the scheduler loop to the plugin's own thread {@code weft-rabbitmq-taker}: a
 * bounded ring that the loop writes without a lock and without waking anyone; the taker looks
 * every {@value #POLL_MICROS} µs while events come (less often, up to every
 * {@value #IDLE_POLL_MICROS} µs, while none do) and takes everything there in one go, then calls
 * the batch's end (so that what follows takes a lock once per batch, not per event). Waking a parked thread per
 * event costs more than the scheduler's own work per task on a small VM (docs/DEVELOPING.md,
 * pitfall 20), which is why this is not the host's per-event asynchronous queue. When the ring is
 * full (the taker is far behind) the event is dropped and counted, never waited for.
 *
 * <p>One writer at a time (the loop: calls are never concurrent, and each hands over to the
 * next); one reader (the taker). The two positions sit on cache lines of their own, and the
 * writer reads the taker's position only when its last reading says the ring is full: otherwise
 * every event would take the line the taker writes back to the loop's core.
 */
final class EventHandOff {

    private static final Logger LOG = LoggerFactory.getLogger(EventHandOff.class);
    static final int POLL_MICROS = 500;
    static final int IDLE_POLL_MICROS = 8_000;
    /** Events taken before the batch's end is called, at most. */
    static final int BATCH = 1024;
    /** Indexes in {@link #positions}: 128 bytes apart, so each has a cache line to itself. */
    private static final int TAIL = 16;
    private static final int HEAD = 32;

    private final TransitionEvent[] ring;
    private final int mask;
    /** [TAIL]: next slot to write, written by the loop; [HEAD]: next slot to read, written by the taker. */
    private final AtomicLongArray positions = new AtomicLongArray(HEAD + 16);
    private long headSeen; // the loop's last reading of [HEAD]
    private final AtomicLong dropped = new AtomicLong();
    private final Thread taker;
    private volatile boolean stopping;

    EventHandOff(int capacityPowerOfTwo, Consumer<TransitionEvent> sink) {
        this(capacityPowerOfTwo, sink, () -> { });
    }

    /**
     * @param sink takes each event, on the taker's thread
     * @param endOfBatch called after at most {@value #BATCH} events, and whenever the ring is empty
     */
    EventHandOff(int capacityPowerOfTwo, Consumer<TransitionEvent> sink, Runnable endOfBatch) {
        this.ring = new TransitionEvent[capacityPowerOfTwo];
        this.mask = capacityPowerOfTwo - 1;
        this.taker = new Thread(() -> drainLoop(sink, endOfBatch), "weft-rabbitmq-taker");
        taker.setDaemon(true);
        taker.start();
    }

    /** On the scheduler loop: never blocks, never wakes a thread. */
    void offer(TransitionEvent e) {
        long t = positions.getPlain(TAIL);
        if (t - headSeen >= ring.length && t - (headSeen = positions.getAcquire(HEAD)) >= ring.length) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("RabbitMQ plugin: its thread is {} events behind the scheduler; dropped {} event(s) so far",
                        ring.length, n);
            }
            return;
        }
        ring[(int) t & mask] = e;
        positions.setRelease(TAIL, t + 1); // publishes the slot to the taker
    }

    private void drainLoop(Consumer<TransitionEvent> sink, Runnable endOfBatch) {
        long pollMicros = POLL_MICROS;
        while (true) {
            boolean last = stopping; // read before draining: what was offered before stop() is drained below
            long h = positions.getPlain(HEAD);
            long t = positions.getAcquire(TAIL);
            boolean took = h < t;
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
                    positions.setRelease(HEAD, h + 1);
                    if ((h & (BATCH - 1)) == BATCH - 1) {
                        endOfBatch(endOfBatch);
                    }
                }
            }
            positions.setRelease(HEAD, h);
            if (took) {
                endOfBatch(endOfBatch);
            }
            if (last) {
                return;
            }
            if (took) {
                // look again at once: parking after every batch made the thread wake up 2 000 times a
                // second while the scheduler was busy, and each wake-up took a core from its threads
                pollMicros = POLL_MICROS;
                continue;
            }
            // while the loop sends nothing, look less often: an idle scheduler wakes this thread
            // 125 times a second, not 2 000; the first event after a pause waits at most IDLE_POLL_MICROS
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(pollMicros));
            pollMicros = Math.min(pollMicros * 2, IDLE_POLL_MICROS);
        }
    }

    private static void endOfBatch(Runnable endOfBatch) {
        try {
            endOfBatch.run();
        } catch (RuntimeException ex) {
            LOG.warn("RabbitMQ plugin could not hand a batch of transitions on", ex);
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
        return positions.get(TAIL) + dropped.get();
    }
}
