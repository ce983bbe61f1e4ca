package org.weft.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What this client knows about one wanted key, shared by every {@link WeftFuture} of that key.
 * The transition table is small: {@link FutureStatus#PENDING} goes to any final state, one method
 * per edge; {@link FutureStatus#FINISHED} goes to {@link FutureStatus#CANCELLED} on a cancel (as
 * Dask's futures do); every other final state never changes (later stimuli are answered {@code false}).
 * Thread-safe: transitions come from connection threads, waits from user threads.
 */
final class KeyState extends CompletableFuture<FutureStatus> {

    /** Why a key did not finish, kept only for a key that erred, was lost or was cancelled. */
    private record Failure(String text, String traceback, String blamedKey, boolean rejected) {
    }

    private static final Failure NONE = new Failure(null, null, null, false);

    private final String key;

    // guarded by this
    private FutureStatus status = FutureStatus.PENDING;
    private Failure failure = NONE;
    private CompletableFuture<Object> value;
    /** The first {@link #whenDone} action while pending: a {@link Progress} watches a key without a callback object per key. */
    private Consumer<FutureStatus> watcher;

    KeyState(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    synchronized FutureStatus status() {
        return status;
    }

    /**
     * Completes with the final status; callbacks run on the completing thread. The state is its own
     * completion future, one object less per key (a million-task graph holds a million of them);
     * only {@link #move} completes it, and it never leaves this package.
     */
    CompletableFuture<FutureStatus> done() {
        return this;
    }

    /**
     * Runs {@code action} with the final status once there is one: at once on this thread if the
     * key is already done, else on the thread that ends it. The first action registered while the
     * key is pending is kept in a field, without a callback object (a million-key {@link Progress}
     * would hold a million); further ones go through {@link #done()}.
     */
    void whenDone(Consumer<FutureStatus> action) {
        synchronized (this) {
            if (status == FutureStatus.PENDING && watcher == null) {
                watcher = action;
                return;
            }
        }
        thenAccept(action);
    }

    /** PENDING or FINISHED: a resubmission of the key can share this state. */
    synchronized boolean reusable() {
        return status == FutureStatus.PENDING || status == FutureStatus.FINISHED;
    }

    /** PENDING → FINISHED. */
    boolean finish() {
        return move(FutureStatus.FINISHED, null, null, null, false);
    }

    /** PENDING → ERROR: the task or a dependency failed. */
    boolean err(String exceptionText, String trace, String blamed) {
        return move(FutureStatus.ERROR, exceptionText, trace, blamed, false);
    }

    /** PENDING → ERROR: the graph the key came in was rejected. */
    boolean reject(String reason) {
        return move(FutureStatus.ERROR, reason, null, null, true);
    }

    /** PENDING → LOST. */
    boolean lose(String reason) {
        return move(FutureStatus.LOST, reason, null, null, false);
    }

    /** PENDING → CANCELLED: released by this client (a finished key keeps its status and cached value). */
    boolean markCancelled() {
        return move(FutureStatus.CANCELLED, "released", null, null, false);
    }

    /**
     * PENDING or FINISHED → CANCELLED, as Dask's {@code FutureState.cancel}: a cancel or a restart
     * ends a finished future too, and drops its cached value.
     *
     * @param reason why, e.g. {@code "cancelled"} or {@code "restart"}; readable from the exception
     */
    boolean cancel(String reason) {
        synchronized (this) {
            if (status == FutureStatus.FINISHED) {
                status = FutureStatus.CANCELLED;
                failure = new Failure(reason, null, null, false);
                value = null;
                obtrudeValue(FutureStatus.CANCELLED); // callbacks already run saw FINISHED; later ones see this
                return true;
            }
        }
        return move(FutureStatus.CANCELLED, reason, null, null, false);
    }

    private boolean move(FutureStatus to, String why, String trace, String blamed, boolean rejection) {
        Consumer<FutureStatus> watching;
        synchronized (this) {
            if (status != FutureStatus.PENDING) {
                return false;
            }
            status = to;
            if (why != null || trace != null || blamed != null || rejection) {
                failure = new Failure(why, trace, blamed, rejection);
            }
            watching = watcher;
            watcher = null;
        }
        complete(to); // outside the lock: callbacks run here
        if (watching != null) {
            try {
                watching.accept(to);
            } catch (RuntimeException e) {
                // dropped, as a callback on done() would drop it: the key's ending must not fail
            }
        }
        return true;
    }

    /** A fresh exception describing why this key did not finish; only for final non-FINISHED states. */
    synchronized RuntimeException failure() {
        return switch (status) {
            case ERROR -> failure.rejected() ? new GraphRejectedException(failure.text())
                    : new TaskFailedException(key, failure.blamedKey(), failure.text(), failure.traceback());
            case CANCELLED -> new KeyCancelledException(key, failure.text());
            case LOST -> new KeyLostException(key, failure.text());
            case PENDING, FINISHED -> new IllegalStateException("key '" + key + "' is " + status + ", not failed");
        };
    }

    /**
     * The value fetch, started with {@code fetch} unless one is under way or has succeeded; a failed
     * fetch is not cached, so a later call tries again.
     */
    synchronized CompletableFuture<Object> value(Supplier<CompletableFuture<Object>> fetch) {
        if (value == null || value.isCompletedExceptionally()) {
            value = fetch.get();
        }
        return value;
    }

    /** The fetch under way or done, or null when none is (or the last one failed). */
    synchronized CompletableFuture<Object> valueIfFetching() {
        return value == null || value.isCompletedExceptionally() ? null : value;
    }

    /** Caches a value gathered together with other keys. */
    synchronized void cacheValue(Object v) {
        if (value == null || value.isCompletedExceptionally()) {
            value = CompletableFuture.completedFuture(v);
        } else if (!value.isDone()) {
            value.complete(v);
        }
    }

    @Override
    public synchronized String toString() {
        return key + "=" + status;
    }
}
