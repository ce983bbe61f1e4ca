package org.weft.pluginhost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.Delivery;
import org.weft.plugin.api.Overflow;

/**
 * An async plugin's bounded queue and the daemon thread {@code weft-plugin-<name>} that drains it,
 * in order. The loop {@link #submit submits}; when the queue is full, {@link Overflow#BLOCK} makes
 * the loop wait for room and {@link Overflow#DROP} drops and counts. {@link #stop} lets the queue
 * drain and waits for the thread, so the plugin's close comes after its last event.
 */
final class AsyncDispatcher<P> {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncDispatcher.class);

    /** How long {@link #stop} waits for a plugin to work off its queue before giving up on it. */
    static final long DRAIN_TIMEOUT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 50;
    /**
     * While events keep coming, the thread naps at least this long when its queue is empty rather
     * than blocking in {@code take()}: a blocked taker must be woken by the loop (a futex call on the
     * loop thread for every event it queues, microseconds each, which at tens of thousands of
     * events a second was most of what an async plugin cost the scheduler).
     */
    static final long NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    /**
     * The longest nap: while each nap finds the queue under {@link #GROW_BELOW} full, the next one is
     * twice as long, up to this; over {@link #SHRINK_ABOVE} full, half as long. Each nap's wake-up
     * costs a context switch, so a plugin that gets thousands of events a second takes them in
     * batches of hundreds rather than of tens, and an event waits at most about this long.
     */
    static final long MAX_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
    /** Naps grow while the queue holds under this share of its capacity at wake-up. */
    static final int GROW_BELOW = 32;
    /** Naps shrink while the queue holds over this share of its capacity at wake-up. */
    static final int SHRINK_ABOVE = 8;
    /** Events taken off the queue at once, under one acquisition of its lock. */
    static final int BATCH = 256;
    /** After this long with nothing queued the thread blocks again (no wake-ups while idle). */
    static final long NAP_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Object STOP = new Object();

    private final PluginSlot<P> slot;
    private final Delivery delivery;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    /** Built once: dropping an event must cost no more than counting it. */
    private final String queueFull;
    /** Events the thread has taken off the queue (written by it only, with DROP). */
    private volatile long taken;
    /**
     * Loop thread: {@link #taken} as read before the last offer that found the queue full, or -1.
     * While the thread has taken nothing since, the queue is still full and a DROP-mode event is
     * dropped without touching the queue's lock (a plugin that cannot keep up drops most events).
     * The thread counts after it took: an event in the instant between may be dropped though a
     * place just came free, as if it had come a moment earlier.
     */
    private long takenWhenFull = -1;
    /** Events the thread had taken off the queue but not delivered when it was interrupted. */
    private volatile int undelivered;
    /** How long {@link #stop} waits for an interrupted thread to say what it had not delivered. */
    private static final long INTERRUPTED_JOIN_MILLIS = 100;
    /** The thread's current nap, {@link #NAP_NANOS} to {@link #MAX_NAP_NANOS}; its own. */
    private long napNanos = NAP_NANOS;

    AsyncDispatcher(PluginSlot<P> slot, Delivery delivery) {
        this.slot = slot;
        this.delivery = delivery;
        this.queue = new ArrayBlockingQueue<>(delivery.queueCapacity());
        this.queueFull = "queue full (capacity " + delivery.queueCapacity() + ", " + delivery.overflow() + ")";
        this.thread = new Thread(this::drain, "weft-plugin-" + slot.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** On the loop thread. */
    void submit(HookCall<P> call) {
        if (delivery.overflow() == Overflow.DROP) {
            long takenBefore = taken;
            if (takenBefore == takenWhenFull || !queue.offer(call)) {
                takenWhenFull = takenBefore;
                slot.dropped(1, queueFull);
            }
            return;
        }
        if (queue.offer(call)) {
            return;
        }
        if (!put(call, Long.MAX_VALUE)) {
            slot.dropped(1, call.hook() + " event: " + (thread.isAlive()
                    ? "interrupted while waiting for room in the queue" : "its delivery thread is gone"));
        }
    }

    /** Waits for room while the thread lives; false if it died, the deadline passed or we were interrupted. */
    private boolean put(Object item, long deadlineNanos) {
        try {
            while (!queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive() || System.nanoTime() - deadlineNanos > 0) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** On the loop thread: no more events; waits until every queued one was delivered (bounded). */
    void stop() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MILLIS);
        boolean stopQueued = put(STOP, deadline);
        boolean interrupted = Thread.interrupted();
        while (stopQueued && !interrupted && thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (thread.isAlive()) {
            thread.interrupt();
            int left = (int) queue.stream().filter(o -> o != STOP).count();
            queue.clear();
            try {
                thread.join(INTERRUPTED_JOIN_MILLIS); // it stops before the next event it had taken
            } catch (InterruptedException e) {
                interrupted = true;
            }
            left += undelivered;
            LOG.warn("{} did not finish its queue within {} ms{}; {} event(s) left undelivered",
                    slot.label(), DRAIN_TIMEOUT_MILLIS, interrupted ? " (interrupted)" : "", left);
            slot.dropped(left, "not delivered before removal");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Once the queue is empty: naps while events may still come (each nap as long as the queue's
     * filling allows, see {@link #MAX_NAP_NANOS}), then blocks; puts what came into {@code batch}.
     */
    private void awaitNext(List<Object> batch) throws InterruptedException {
        long idleSince = System.nanoTime();
        while (System.nanoTime() - idleSince < NAP_WINDOW_NANOS) {
            LockSupport.parkNanos(this, napNanos);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            int queued = queue.size();
            if (queued > 0) {
                int capacity = delivery.queueCapacity();
                if (queued < capacity / GROW_BELOW) {
                    napNanos = Math.min(MAX_NAP_NANOS, napNanos * 2);
                } else if (queued > capacity / SHRINK_ABOVE) {
                    napNanos = Math.max(NAP_NANOS, napNanos / 2);
                }
                queue.drainTo(batch, BATCH);
                return;
            }
        }
        napNanos = NAP_NANOS; // idle: the next burst starts with short naps
        batch.add(queue.take());
    }

    @SuppressWarnings("unchecked")
    private void drain() {
        boolean drops = delivery.overflow() == Overflow.DROP;
        List<Object> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                batch.clear();
                if (queue.drainTo(batch, BATCH) == 0) {
                    awaitNext(batch);
                }
                if (drops) {
                    // single writer; the loop reads it to skip offers to a queue still full
                    taken += batch.size();
                }
                for (int i = 0; i < batch.size(); i++) {
                    Object item = batch.get(i);
                    if (item == STOP) {
                        return; // the last item: nothing is queued after it
                    }
                    if (Thread.currentThread().isInterrupted()) { // stop() gave up waiting: deliver no more
                        undelivered = (int) batch.subList(i, batch.size()).stream().filter(o -> o != STOP).count();
                        return;
                    }
                    batch.set(i, null);
                    slot.invoke((HookCall<P>) item);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // invoke contains Exception and LinkageError; this is what is left (e.g. StackOverflowError)
            slot.threadDied(e);
            queue.clear();
        }
    }
}
