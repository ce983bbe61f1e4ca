package org.weft.worker;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** How a worker reads results held by a peer worker (Dask's gather_dep): in the same JVM, or over a connection. */
public interface PeerData {

    /**
     * Asks {@code peer} for {@code keys}. Exactly one of the callbacks is called, on any thread:
     * {@code data} with the keys the peer holds (absent keys: it no longer holds them), or
     * {@code failure} with the reason the peer could not be asked.
     */
    void fetch(String peer, Set<String> keys, Consumer<Map<String, Object>> data, Consumer<String> failure);
}
