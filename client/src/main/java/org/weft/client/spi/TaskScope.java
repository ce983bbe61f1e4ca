package org.weft.client.spi;

import java.util.Objects;
import java.util.concurrent.Callable;

import org.osgi.annotation.versioning.ProviderType;
import org.weft.client.Client;

/**
 * What a worker offers the task function it runs on the current thread: a client connected to the
 * worker's scheduler (Dask's {@code get_client()}), and leaving and rejoining the worker's executor
 * threads (Dask's {@code secede()}/{@code rejoin()}). Implemented by Weft's workers; the client uses
 * it through {@link Client#current()} and to secede while a task thread waits for futures.
 *
 * @since 1.1
 */
@ProviderType
public interface TaskScope {

    /** The worker's client, connected on first use and shared by the worker's tasks; not to be closed by them. */
    Client client();

    /** The task leaves the executor threads, so another task may start; a no-op if it already left. */
    void secede();

    /** Blocks until the task holds an executor thread again; at once if it holds one. */
    void rejoin();

    /** The scope of the task running on this thread, or null outside a task. */
    static TaskScope current() {
        return TaskScopes.CURRENT.get();
    }

    /** Runs {@code body} as a task in {@code scope} on this thread (for workers), then restores the previous scope. */
    static <T> T callIn(TaskScope scope, Callable<T> body) throws Exception {
        Objects.requireNonNull(scope, "scope");
        TaskScope previous = TaskScopes.CURRENT.get();
        TaskScopes.CURRENT.set(scope);
        try {
            return body.call();
        } finally {
            // set, even to null, rather than remove: an executor thread keeps its entry for its
            // next task (a removed entry is made again by the next get(), an allocation per task)
            TaskScopes.CURRENT.set(previous);
        }
    }
}
