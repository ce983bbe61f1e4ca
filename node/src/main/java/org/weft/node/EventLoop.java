package org.weft.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that owns one state machine. Everything else (network input, DS bind/unbind, shell
 * commands, timers, executor threads) enqueues work here. Work is taken in batches; after each
 * batch {@code afterBatch} runs, which is where a loop flushes its batched output.
 *
 * <p>Work runs while holding the loop's <em>owner</em> lock, one piece at a time, in the order it
 * was queued. Normally the loop thread holds it; {@link #runHereOrExecute} lets a thread that
 * finds the loop idle (nothing queued, nobody running it) do the loop's work itself, which saves
 * two thread hand-offs (wake the loop, wake the caller again) per message. The loop thread parks
 * only when the queue is empty and is unparked only if it is parked and nobody holds the loop:
 * whoever holds it looks at the queue again after letting go (the loop thread before parking, a
 * caller of {@code runHereOrExecute} by waking the loop thread if work is left), so no work is
 * stranded and a busy loop is never woken. {@code runHereOrExecute} never waits for the owner lock,
 * so a thread that holds one loop may run another's work without risk of deadlock.
 */
public final class EventLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    /** Work run before {@code afterBatch} flushes, so output keeps flowing under a flood of input. */
    private static final int MAX_BATCH = 16_384;
    /** How many batches a caller of {@link #runHereOrExecute} runs at most before leaving the rest to the loop thread. */
    private static final int MAX_RUN_HERE_ROUNDS = 4;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock owner = new ReentrantLock();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final Thread thread;
    private final Runnable afterBatch;
    private final BooleanSupplier runHereAllowed;
    private volatile boolean closed;
    /** Time spent running work and flushing, on whichever thread held the loop; written with the owner lock held. */
    private volatile long busyNanos;

    public EventLoop(String name, Runnable afterBatch) {
        this(name, afterBatch, () -> false);
    }

    /**
     * @param runHereAllowed asked, while holding the loop, whether {@link #runHereOrExecute} may run
     *        work on the calling thread now (e.g. only while no plugin expects the loop thread)
     */
    public EventLoop(String name, Runnable afterBatch, BooleanSupplier runHereAllowed) {
        this.afterBatch = afterBatch;
        this.runHereAllowed = runHereAllowed;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Runs {@code work} on the loop thread, later. Work submitted after close is dropped with a debug line. */
    public void execute(Runnable work) {
        if (closed) {
            LOG.debug("{} is closed; dropping work", thread.getName());
            return;
        }
        queue.add(work);
        if (!owner.isLocked()) {
            wake(); // else whoever runs the loop looks at the queue again before letting go
        }
    }

    /**
     * Runs {@code work} now on the calling thread if the loop is idle and {@code runHereAllowed}
     * says yes, followed by anything queued meanwhile and {@code afterBatch}, exactly as the loop
     * thread would; otherwise like {@link #execute}. Never blocks waiting for the loop (e.g. an
     * executor thread reporting a result, or a worker's loop reading a peer's data).
     */
    public void runHereOrExecute(Runnable work) {
        if (closed || !queue.isEmpty() || owner.isHeldByCurrentThread() || !owner.tryLock()) {
            execute(work);
            return;
        }
        try {
            if (closed) {
                LOG.debug("{} is closed; dropping work", thread.getName());
            } else if (!runHereAllowed.getAsBoolean()) {
                queue.add(work); // for the loop thread, woken below
            } else {
                long start = System.nanoTime();
                runSafely(work);
                int rounds = 0;
                do { // work our own output queued here (e.g. a peer's reply) runs now, not after a wake-up
                    runQueued();
                    afterBatchSafely();
                } while (!queue.isEmpty() && ++rounds < MAX_RUN_HERE_ROUNDS);
                busyNanos += System.nanoTime() - start;
            }
        } finally {
            owner.unlock();
        }
        if (!queue.isEmpty()) {
            wake(); // queued while we held the loop and not run by us
        }
    }

    /** Runs {@code work} on the loop thread and completes with its result or its exception. */
    public <T> CompletableFuture<T> call(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (inLoop()) {
            complete(result, work);
        } else if (closed) {
            result.completeExceptionally(new IllegalStateException(thread.getName() + " is closed"));
        } else {
            execute(() -> complete(result, work));
        }
        return result;
    }

    private static <T> void complete(CompletableFuture<T> result, Supplier<T> work) {
        try {
            result.complete(work.get());
        } catch (RuntimeException | LinkageError e) {
            result.completeExceptionally(e);
        }
    }

    /** Whether the calling thread is running this loop's work now. */
    public boolean inLoop() {
        return owner.isHeldByCurrentThread();
    }

    public String name() {
        return thread.getName();
    }

    /**
     * Nanoseconds spent so far running work and flushing, whichever thread did it: the difference
     * of two readings over the time between them is the loop's busy fraction (the dashboard's and
     * {@code /metrics}' {@code weft_scheduler_loop_busy_fraction}).
     */
    public long busyNanos() {
        return busyNanos;
    }

    /** Work queued and not started yet. Counts the queue: O(length), for occasional status reads. */
    public int queueLength() {
        return queue.size();
    }

    private void wake() {
        if (parked.get() && parked.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (true) {
            owner.lock();
            try {
                long start = System.nanoTime();
                int ran = runQueued();
                if (ran > 0) {
                    afterBatchSafely();
                    busyNanos += System.nanoTime() - start;
                }
                if (closed && queue.isEmpty()) {
                    if (ran == 0) {
                        afterBatchSafely();
                    }
                    return;
                }
                if (ran == MAX_BATCH) {
                    continue;
                }
            } finally {
                owner.unlock();
            }
            parked.set(true);
            if (queue.isEmpty() && !closed) {
                LockSupport.park(this);
            }
            parked.set(false);
        }
    }

    /** Runs queued work, oldest first, up to {@link #MAX_BATCH} pieces; owner held. */
    private int runQueued() {
        int ran = 0;
        Runnable work;
        while (ran < MAX_BATCH && (work = queue.poll()) != null) {
            runSafely(work);
            ran++;
        }
        return ran;
    }

    private void runSafely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("{}: unexpected failure while handling a stimulus; carrying on", thread.getName(), e);
        }
    }

    private void afterBatchSafely() {
        try {
            afterBatch.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("{}: failure while flushing output; carrying on", thread.getName(), e);
        }
    }

    /** Runs what is queued, then stops the thread; waits up to 10 s. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(thread);
        if (!inLoop() && Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
