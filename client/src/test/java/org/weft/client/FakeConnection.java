package org.weft.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.weft.client.spi.ClientListener;
import org.weft.client.spi.SchedulerConnection;
import org.weft.protocol.TaskSpec;

/** Records every call; the test fires listener callbacks itself and decides what gather returns. */
final class FakeConnection implements SchedulerConnection {

    record Update(List<TaskSpec> tasks, Set<String> wanted) {
    }

    String clientId;
    ClientListener listener;
    final List<Update> updates = new ArrayList<>();
    final List<List<String>> released = new ArrayList<>();
    final List<List<String>> gathers = new ArrayList<>();
    final Map<String, Object> values = new HashMap<>();
    int closes;
    /** When set, the next updateGraph calls are rejected with this reason. */
    String rejectWith;
    /** When set, updateGraph returns this future (to hold the submission open). */
    CompletableFuture<Void> pendingUpdate;

    @Override
    public synchronized void open(String id, ClientListener l) {
        this.clientId = id;
        this.listener = l;
    }

    @Override
    public synchronized CompletableFuture<Void> updateGraph(List<TaskSpec> tasks, Set<String> wantedKeys) {
        updates.add(new Update(List.copyOf(tasks), Set.copyOf(wantedKeys)));
        if (rejectWith != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(rejectWith));
        }
        return pendingUpdate != null ? pendingUpdate : CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void releaseKeys(Collection<String> keys) {
        released.add(List.copyOf(keys));
    }

    @Override
    public synchronized CompletableFuture<Map<String, Object>> gather(Collection<String> keys) {
        gathers.add(List.copyOf(keys));
        Map<String, Object> out = new HashMap<>();
        for (String k : keys) {
            if (!values.containsKey(k)) {
                return CompletableFuture.failedFuture(new IllegalStateException("key '" + k + "' not in memory"));
            }
            out.put(k, values.get(k));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public synchronized void close() {
        closes++;
    }

    /** The last update's only task. */
    synchronized TaskSpec lastTask() {
        List<TaskSpec> tasks = updates.get(updates.size() - 1).tasks();
        if (tasks.size() != 1) {
            throw new AssertionError("expected one task, got " + tasks);
        }
        return tasks.get(0);
    }

    /** Marks a key in memory with a value, as a scheduler and worker would. */
    void finish(String key, Object value) {
        synchronized (this) {
            values.put(key, value);
        }
        listener.keyInMemory(key);
    }
}
