package org.weft.scheduler.core.remote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads results from worker processes over their links ({@code get-data}) and passes each value on
 * as the worker encoded it, never decoded here. For {@link SchedulerServer}, as the {@code elsewhere} of a
 * {@link LocalGatherSource}.
 */
final class RemoteGatherSource implements GatherSource {

    private final Function<String, RemoteWorker> workers;

    /** @param workers the connected worker process at an address, or null */
    RemoteGatherSource(Function<String, RemoteWorker> workers) {
        this.workers = workers;
    }

    @Override
    public CompletableFuture<Map<String, byte[]>> fetch(Map<String, String> keyToWorker) {
        Map<String, List<String>> byWorker = new LinkedHashMap<>();
        keyToWorker.forEach((key, worker) -> byWorker.computeIfAbsent(worker, w -> new ArrayList<>()).add(key));
        Map<String, byte[]> values = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> parts = new ArrayList<>();
        byWorker.forEach((address, keys) -> {
            RemoteWorker worker = workers.apply(address);
            if (worker == null) {
                parts.add(CompletableFuture.failedFuture(new IllegalStateException("worker " + address + " is gone")));
                return;
            }
            parts.add(worker.getData(keys).thenAccept(data -> {
                for (String key : keys) {
                    byte[] value = data.data().get(key);
                    if (value == null) {
                        throw new IllegalStateException("key '" + key + "' is no longer on " + address);
                    }
                    values.put(key, value);
                }
            }));
        });
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            Map<String, byte[]> out = new LinkedHashMap<>();
            keyToWorker.keySet().forEach(key -> out.put(key, values.get(key)));
            return out;
        });
    }
}
