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

    /**
     * As {@link #fetch}, with the size each value had where it came from, if this seam knows it
     * (a peer in another process sends each value encoded: its length is the value's {@code nbytes},
     * as the peer measured it when it computed the value). Without a size the worker estimates it.
     */
    default void fetchSized(String peer, Set<String> keys, Consumer<Fetched> data, Consumer<String> failure) {
        fetch(peer, keys, values -> data.accept(new Fetched(values, Map.of())), failure);
    }

    /**
     * What a peer sent.
     *
     * @param values the keys the peer holds, with their values
     * @param nbytes the encoded size of those values whose size is known; the others are estimated
     */
    record Fetched(Map<String, Object> values, Map<String, Long> nbytes) {
    }
}
