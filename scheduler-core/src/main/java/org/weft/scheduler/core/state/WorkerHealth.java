package org.weft.scheduler.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each worker was last heard from, for Dask's {@code worker-ttl}: a worker silent longer than
 * the TTL is taken for dead. Times are given by the caller (no clock here). A worker first seen by
 * a check (joined, no heartbeat yet) counts as heard from at that check.
 */
final class WorkerHealth {

    private final Map<String, Long> lastSeen = new HashMap<>();

    void heartbeat(String address, long nowMillis) {
        lastSeen.put(address, nowMillis);
    }

    void forget(String address) {
        lastSeen.remove(address);
    }

    /** The workers not heard from for more than {@code ttlMillis} at {@code nowMillis}. */
    List<WorkerRecord> silent(Collection<WorkerRecord> workers, long nowMillis, long ttlMillis) {
        List<WorkerRecord> silent = new ArrayList<>();
        for (WorkerRecord ws : workers) {
            long last = lastSeen.computeIfAbsent(ws.address, a -> nowMillis);
            if (nowMillis - last > ttlMillis) {
                silent.add(ws);
            }
        }
        return silent;
    }

    /** Milliseconds since {@code address} was last heard from, or -1 if never. */
    long silentFor(String address, long nowMillis) {
        Long last = lastSeen.get(address);
        return last == null ? -1 : nowMillis - last;
    }
}
