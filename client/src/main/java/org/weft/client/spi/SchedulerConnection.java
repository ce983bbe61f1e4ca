package org.weft.client.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A client's link to one scheduler. Implementations: the in-process link of a local cluster;
 * later, a network transport.
 */
public interface SchedulerConnection extends AutoCloseable {

    /** Registers this client with the scheduler. Called once, before anything else. */
    void open(String clientId, ClientListener listener);

    /**
     * Sends tasks and the keys this client wants. The future fails with
     * {@link IllegalArgumentException} (message = the reason) if the scheduler rejects the graph;
     * a rejected graph changes nothing.
     */
    CompletableFuture<Void> updateGraph(List<TaskSpec> tasks, Set<String> wantedKeys);

    /** This client no longer wants these keys; the scheduler may release them. */
    void releaseKeys(Collection<String> keys);

    /** Fetches results of keys that are in memory. Fails if a key is not in memory. */
    CompletableFuture<Map<String, Object>> gather(Collection<String> keys);

    /** Unregisters the client; the scheduler releases everything it wanted. */
    @Override
    void close();

    // ---------------------------------------------------------------- control (cancel, restart, events)

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    /**
     * Retires these workers (Dask's {@code retire_workers}): each stops getting tasks, its unique
     * results are copied to other workers, then it closes. Completes, in the order asked, with each
     * worker's outcome once every one is decided. The default fails: the connection cannot do it.
     *
     * @since 1.1
     */
    default CompletableFuture<List<RetireOutcome>> retireWorkers(Collection<String> workers) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this connection cannot retire workers"));
    }

    /**
     * The workers cheapest to close (Dask's {@code workers_to_close}), every scheduler plugin's
     * {@code validWorkersDownscaling} applied in turn. {@code n}: how many to close, or
     * {@code target}: how many to keep; both null: the idle ones, keeping one.
     *
     * @since 1.1
     */
    default CompletableFuture<List<String>> workersToClose(Integer n, Integer target) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this connection cannot choose workers to close"));
    }

    /**
     * How many workers the current work asks for (Dask's {@code adaptive_target}), for tasks
     * expected to take {@code targetDurationMillis} in all.
     *
     * @since 1.1
     */
    default CompletableFuture<Integer> adaptiveTarget(long targetDurationMillis) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this connection cannot compute an adaptive target"));
    }
}
