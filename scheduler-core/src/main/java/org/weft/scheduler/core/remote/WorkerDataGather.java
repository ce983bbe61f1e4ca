package org.weft.scheduler.core.remote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.weft.protocol.UnencodableValueException;
import org.weft.protocol.Values;
import org.weft.scheduler.core.cluster.SchedulerService;

/**
 * A remote client's gather: keys held by worker processes are read from {@code elsewhere} as the
 * bytes they came in; keys held by other workers (those of this JVM, if any) through the
 * scheduler's sources of worker data ({@link SchedulerService#fetchFromWorker}), then encoded.
 */
public final class WorkerDataGather implements GatherSource {

    private final SchedulerService service;
    private final GatherSource elsewhere;
    private final Predicate<String> isElsewhere;

    /**
     * @param elsewhere reads keys held by the workers {@code isElsewhere} accepts; null: there are none
     */
    public WorkerDataGather(SchedulerService service, GatherSource elsewhere, Predicate<String> isElsewhere) {
        this.service = service;
        this.elsewhere = elsewhere;
        this.isElsewhere = elsewhere == null ? worker -> false : isElsewhere;
    }

    @Override
    public CompletableFuture<Map<String, byte[]>> fetch(Map<String, String> keyToWorker) {
        Map<String, List<String>> byWorker = new LinkedHashMap<>();
        Map<String, String> remote = new LinkedHashMap<>();
        keyToWorker.forEach((key, worker) -> {
            if (isElsewhere.test(worker)) {
                remote.put(key, worker);
            } else {
                byWorker.computeIfAbsent(worker, w -> new ArrayList<>()).add(key);
            }
        });
        Map<String, byte[]> values = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> parts = new ArrayList<>();
        byWorker.forEach((worker, keys) -> parts.add(collect(worker, keys).thenAccept(values::putAll)));
        if (!remote.isEmpty()) {
            parts.add(elsewhere.fetch(remote).thenAccept(values::putAll));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (String key : keyToWorker.keySet()) {
                out.put(key, values.get(key));
            }
            return out;
        });
    }

    private CompletableFuture<Map<String, byte[]>> collect(String worker, List<String> keys) {
        CompletableFuture<Map<String, byte[]>> part = new CompletableFuture<>();
        service.fetchFromWorker(worker, new LinkedHashSet<>(keys), data -> {
            try {
                Map<String, byte[]> encoded = new LinkedHashMap<>();
                for (String key : keys) {
                    if (!data.containsKey(key)) {
                        throw new IllegalStateException("key '" + key + "' is no longer on " + worker);
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
        }, failure -> part.completeExceptionally(new IllegalStateException(failure)));
        return part;
    }
}
