package org.weft.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A watch over a set of futures, from {@link Client#progress}. Thread-safe.
 *
 * @since 1.0
 */
@ProviderType
public final class Progress {

    private final ProgressListener listener;
    private final int total;
    private final CompletableFuture<Void> complete = new CompletableFuture<>();

    // guarded by this
    private int done;
    private int erred;
    private int cancelled;
    private boolean armed;

    Progress(List<WeftFuture> futures, ProgressListener listener) {
        this.listener = listener;
        this.total = futures.size();
        Consumer<FutureStatus> counter = this::count; // one, not one per future
        for (WeftFuture f : futures) {
            f.state().whenDone(counter);
        }
        synchronized (this) {
            armed = true;
            listener.progress(done, erred, cancelled, total);
            if (finished() == total) {
                complete.complete(null);
            }
        }
    }

    private int finished() {
        return done + erred + cancelled;
    }

    private synchronized void count(FutureStatus status) {
        switch (status) {
            case FINISHED -> done++;
            case CANCELLED -> cancelled++;
            default -> erred++;
        }
        if (armed) {
            try {
                listener.progress(done, erred, cancelled, total);
            } finally { // a listener that throws does not leave await() waiting
                if (finished() == total) {
                    complete.complete(null);
                }
            }
        }
    }

    /** How many futures finished successfully so far. */
    public synchronized int done() {
        return done;
    }

    /** How many failed (an error) or were lost so far; cancelled futures are counted by {@link #cancelled()}. */
    public synchronized int erred() {
        return erred;
    }

    /**
     * How many were cancelled so far.
     *
     * @since 1.2
     */
    public synchronized int cancelled() {
        return cancelled;
    }

    /** How many futures are watched. */
    public int total() {
        return total;
    }

    /** Whether every watched future is done. */
    public boolean isComplete() {
        return complete.isDone();
    }

    /**
     * Blocks until every watched future is done, whatever the outcomes.
     *
     * @throws WeftException if interrupted (the interrupt flag is restored)
     */
    public void await() {
        Blocking.await(complete, Blocking.FOREVER, () -> total + " futures");
    }

    /**
     * Blocks until every watched future is done or the time runs out.
     *
     * @return true if all are done, false if the time ran out
     * @throws WeftException if interrupted (the interrupt flag is restored)
     */
    public boolean await(long timeout, TimeUnit unit) {
        try {
            Blocking.await(complete, Blocking.deadline(timeout, unit), () -> total + " futures");
            return true;
        } catch (WeftTimeoutException e) {
            return false;
        }
    }

    @Override
    public synchronized String toString() {
        return "Progress[" + done + " done, " + erred + " erred, " + cancelled + " cancelled, " + total + " total]";
    }
}
