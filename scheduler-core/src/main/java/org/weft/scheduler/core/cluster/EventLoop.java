package org.weft.scheduler.core.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that owns one state machine. Everything else (network input, DS bind/unbind, shell
 * commands, timers, executor threads) enqueues work here. Work is taken in batches; after each
 * batch {@code afterBatch} runs, which is where a loop flushes its batched output.
 */
public final class EventLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final Runnable STOP = () -> { };

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Runnable afterBatch;
    private volatile boolean closed;

    public EventLoop(String name, Runnable afterBatch) {
        this.afterBatch = afterBatch;
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
    }

    /** Runs {@code work} on the loop thread and completes with its result or its exception. */
    public <T> CompletableFuture<T> call(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (inLoop()) {
            complete(result, work);
        } else if (closed) {
            result.completeExceptionally(new IllegalStateException(thread.getName() + " is closed"));
        } else {
            queue.add(() -> complete(result, work));
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

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    public String name() {
        return thread.getName();
    }

    private void run() {
        List<Runnable> batch = new ArrayList<>(1024);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, 16_384);
                for (Runnable work : batch) {
                    if (work == STOP) {
                        afterBatchSafely();
                        return;
                    }
                    try {
                        work.run();
                    } catch (RuntimeException | LinkageError e) {
                        LOG.error("{}: unexpected failure while handling a stimulus; carrying on", thread.getName(), e);
                    }
                }
                batch.clear();
                afterBatchSafely();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        queue.add(STOP);
        if (!inLoop()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
