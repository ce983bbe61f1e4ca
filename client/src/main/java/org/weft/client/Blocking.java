package org.weft.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.weft.client.spi.TaskScope;

/** The one place the client blocks a user thread: unchecked exceptions only (see package doc). */
final class Blocking {

    /** No deadline. */
    static final long FOREVER = Long.MAX_VALUE;

    private Blocking() {
    }

    /** A deadline in {@link System#nanoTime()} terms. */
    static long deadline(long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(timeout);
        long now = System.nanoTime();
        return nanos >= FOREVER - now ? FOREVER : now + Math.max(0, nanos);
    }

    /**
     * Waits for {@code future}; a failure is rethrown as is when unchecked, else wrapped in a
     * {@link WeftException}.
     */
    static <T> T await(CompletableFuture<T> future, long deadline, Supplier<String> what) {
        try {
            if (deadline == FOREVER) {
                return future.get();
            }
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeftException("interrupted while waiting for " + what.get(), e);
        } catch (TimeoutException e) {
            throw new WeftTimeoutException("timed out waiting for " + what.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new WeftException(what.get() + " failed: " + cause, cause);
        }
    }

    /**
     * Runs {@code body}, which waits; on a thread running a task on a worker, and if
     * {@code mustWait}, the task secedes from the worker's executor threads first and rejoins
     * after, so the tasks it waits for can run even when it held the last thread.
     */
    static <T> T seceding(boolean mustWait, Supplier<T> body) {
        TaskScope scope = mustWait ? TaskScope.current() : null;
        if (scope == null) {
            return body.get();
        }
        scope.secede();
        try {
            return body.get();
        } finally {
            scope.rejoin();
        }
    }

    /** The cause behind CompletableFuture's wrappers. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
