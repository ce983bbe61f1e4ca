package org.weft.scheduler.core.remote;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where a remote client's gather reads results: the workers that hold them, in this JVM or in
 * worker processes. Values travel encoded ({@link org.weft.protocol.Values#encode}), so a value a
 * worker process sent can be passed to the client without being decoded.
 */
@FunctionalInterface
public interface GatherSource {

    /**
     * Reads each key from the worker named for it ({@code SchedulerNode.locate} chose them).
     * Completes with every key's encoded value, or fails: with an {@link IllegalStateException}
     * saying {@code key 'K' is no longer on W} when a worker no longer holds a key, with an
     * {@link IllegalStateException} when a worker is gone, with an
     * {@link org.weft.protocol.UnencodableValueException} when a value cannot cross processes.
     * Must not block; completes on any thread.
     */
    CompletableFuture<Map<String, byte[]>> fetch(Map<String, String> keyToWorker);
}
