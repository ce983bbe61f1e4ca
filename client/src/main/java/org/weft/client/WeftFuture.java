package org.weft.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The result of one key, to come. Obtained from {@link Client#submit}, {@link Client#map} or
 * {@link Client#compute}; passed as an argument to another submission it becomes a reference to
 * this key (a {@link org.weft.protocol.TaskRef}), so the new task depends on it.
 *
 * <p>Futures of one client with the same key share their state: cancelling or releasing one ends
 * them all. Thread-safe. The value is gathered from the scheduler on the first {@link #get()} (or
 * {@link Client#gather}) and then cached in the client.
 *
 * @since 1.0
 */
@ProviderType
public final class WeftFuture {

    private final Client client;
    private final KeyState state;

    WeftFuture(Client client, KeyState state) {
        this.client = client;
        this.state = state;
    }

    KeyState state() {
        return state;
    }

    Client client() {
        return client;
    }

    /** The task's key. */
    public String key() {
        return state.key();
    }

    /** Where the future stands now. */
    public FutureStatus status() {
        return state.status();
    }

    /** Whether the future reached a final status (any but {@link FutureStatus#PENDING}). */
    public boolean isDone() {
        return status().isDone();
    }

    /**
     * Blocks until the future is done and returns its value, gathering it from the scheduler once.
     * Called by a task running on a worker, the task secedes from the worker's executor threads
     * while it waits (see {@link Client#current()}).
     *
     * @return the task's result
     * @throws TaskFailedException if the task or a dependency failed
     * @throws GraphRejectedException if the scheduler rejected the graph this key came in
     * @throws KeyCancelledException if the future was cancelled, released or ended by a restart
     * @throws KeyLostException if the key was forgotten, the connection lost, or the client closed
     * @throws WeftException if interrupted (the interrupt flag is restored) or the value could not be
     *         gathered
     */
    public Object get() {
        return get(Blocking.FOREVER);
    }

    /**
     * Like {@link #get()}, waiting at most {@code timeout} for the task and its value together.
     *
     * @throws WeftTimeoutException if the time ran out; the future is unaffected
     */
    public Object get(long timeout, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return get(Blocking.deadline(timeout, unit));
    }

    private Object get(long deadline) {
        return Blocking.seceding(!state.done().isDone(), () -> {
            Blocking.await(state.done(), deadline, () -> "key '" + key() + "'");
            if (state.status() != FutureStatus.FINISHED) { // now: a cancel may have ended a finished key
                throw state.failure();
            }
            return Blocking.await(client.fetchValue(state), deadline, () -> "the value of key '" + key() + "'");
        });
    }

    /**
     * Stops wanting this key: if the future is pending or finished, it becomes
     * {@link FutureStatus#CANCELLED} (a finished one too, as in Dask; its cached value is dropped),
     * the scheduler is told to release the key, and every waiter wakes with a
     * {@link KeyCancelledException}.
     *
     * @return true if this call cancelled it; false if it had already erred, been cancelled or been
     *         lost
     */
    public boolean cancel() {
        return client.cancel(state);
    }

    /**
     * A new {@link CompletableFuture} that completes with the value (gathered as soon as the key
     * finishes) or exceptionally with the exception {@link #get()} would throw. Completing or
     * cancelling the returned future does not affect this one. Dependent stages run on a connection
     * thread unless an executor is given: keep them short.
     */
    public CompletableFuture<Object> toCompletableFuture() {
        CompletableFuture<Object> result = new CompletableFuture<>();
        state.done().whenComplete((status, never) -> {
            if (status != FutureStatus.FINISHED) {
                result.completeExceptionally(state.failure());
                return;
            }
            client.fetchValue(state).whenComplete((value, error) -> {
                if (error != null) {
                    result.completeExceptionally(Blocking.unwrap(error));
                } else {
                    result.complete(value);
                }
            });
        });
        return result;
    }

    /**
     * Runs {@code action} once the future is done, whatever the outcome: at once on the caller's
     * thread if it already is, else on the thread that completes it (a connection thread). The
     * action must not block; an exception it throws is dropped.
     */
    public void onDone(Runnable action) {
        Objects.requireNonNull(action, "action");
        state.done().whenComplete((status, never) -> action.run());
    }

    @Override
    public String toString() {
        return "WeftFuture[" + key() + ", " + status() + "]";
    }
}
