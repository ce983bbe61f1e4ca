package org.weft.scheduler.core.remote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.weft.protocol.UnencodableValueException;
import org.weft.protocol.Values;
import org.weft.scheduler.core.cluster.LocalCluster;
import org.weft.worker.WorkerNode;

/**
 * Reads results from the workers of a {@link LocalCluster} in this JVM ({@link WorkerNode#collect})
 * and encodes them; keys held by workers elsewhere are read from {@code elsewhere}.
 */
public final class LocalGatherSource implements GatherSource {

    private final LocalCluster cluster;
    private final GatherSource elsewhere;

    /** @param elsewhere reads keys held by workers not in this JVM; null: there are none (such a worker is "gone") */
    public LocalGatherSource(LocalCluster cluster, GatherSource elsewhere) {
        this.cluster = cluster;
        this.elsewhere = elsewhere;
    }

    @Override
    public CompletableFuture<Map<String, byte[]>> fetch(Map<String, String> keyToWorker) {
        Map<String, WorkerNode> local = new LinkedHashMap<>();
        for (WorkerNode node : cluster.workers()) {
            local.put(node.address(), node);
        }
        Map<String, List<String>> byWorker = new LinkedHashMap<>();
        Map<String, String> remote = new LinkedHashMap<>();
        keyToWorker.forEach((key, worker) -> {
            if (local.containsKey(worker)) {
                byWorker.computeIfAbsent(worker, w -> new ArrayList<>()).add(key);
            } else {
                remote.put(key, worker);
            }
        });
        Map<String, byte[]> values = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> parts = new ArrayList<>();
        byWorker.forEach((worker, keys) -> parts.add(collect(local.get(worker), keys).thenAccept(values::putAll)));
        if (!remote.isEmpty()) {
            parts.add(elsewhere != null ? elsewhere.fetch(remote).thenAccept(values::putAll)
                    : CompletableFuture.failedFuture(new IllegalStateException(
                            "worker " + remote.values().iterator().next() + " is gone")));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (String key : keyToWorker.keySet()) {
                out.put(key, values.get(key));
            }
            return out;
        });
    }

    private static CompletableFuture<Map<String, byte[]>> collect(WorkerNode node, List<String> keys) {
        CompletableFuture<Map<String, byte[]>> part = new CompletableFuture<>();
        node.collect(keys, data -> {
            try {
                Map<String, byte[]> encoded = new LinkedHashMap<>();
                for (String key : keys) {
                    if (!data.containsKey(key)) {
                        throw new IllegalStateException("key '" + key + "' is no longer on " + node.address());
                    }
                    try {
                        encoded.put(key, Values.encode(data.get(key)));
                    } catch (UnencodableValueException e) {
                        throw new UnencodableValueException("the result of '" + key + "' cannot be sent to a client: "
                                + e.getMessage(), e);
                    }
                }
                part.complete(encoded);
            } catch (RuntimeException e) {
                part.completeExceptionally(e);
            }
        });
        return part;
    }
}
