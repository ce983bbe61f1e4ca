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
}
