package org.weft.plugin.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The worker processes of this scheduler, for code that runs beside it (a scheduler plugin, a
 * shell command, a function run with {@code runOnScheduler}) and must reach what runs in them, as
 * Dask's {@code Client.run} and {@code Scheduler.broadcast} do: e.g. the resource monitor starts a
 * recording in every worker process and gathers their traces into one file.
 *
 * <p>Weft registers it as an OSGi service in a scheduler process ({@code bin/weft scheduler}).
 * Workers in the scheduler's own JVM ({@code bin/weft local}) are not worker processes: code there
 * already runs in their process, so a runtime without worker processes has no such service.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #runOnEach} runs a task function registered in each worker process (its own
 *       installation's, by {@link TaskFunctionName}) on a thread of that process that is neither
 *       its loop nor an executor thread, with the given arguments and a {@link TaskContext} whose
 *       key is {@code run-on-worker-NAME-N}; it never holds a worker thread or delays a task.</li>
 *   <li>Arguments and results travel between processes: they must be values a task may take and
 *       return (see {@link TaskFunction}).</li>
 *   <li>The future completes once every worker process connected when it was called has answered,
 *       failed or left, or after two minutes; it does not fail as a whole. A worker process that
 *       lacks the function, whose function threw, that left meanwhile or did not answer in time has
 *       a {@link Reply} with {@code error} set.
 *       It may be called from any thread; it never blocks.</li>
 * </ul>
 *
 * @since 1.3
 */
@ProviderType
public interface WorkerProcesses {

    /**
     * Runs the registered task function {@code function} once in each worker process connected now.
     *
     * @return one reply per worker process, in no particular order
     */
    CompletableFuture<List<Reply>> runOnEach(String function, List<Object> args);

    /**
     * What one worker process answered.
     *
     * @param worker the worker's address ({@code tcp://HOST:PORT})
     * @param value what the function returned ({@code null} if it failed)
     * @param error why there is no value ({@code null} if the function returned)
     * @since 1.3
     */
    record Reply(String worker, Object value, String error) {
    }
}
