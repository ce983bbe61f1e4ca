package org.weft.scheduler.core.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.weft.client.remote.ClientWire;
import org.weft.client.spi.ClientListener;
import org.weft.client.spi.SchedulerConnection;
import org.weft.client.spi.TopicEvent;
import org.weft.node.SchedulerInstruction;
import org.weft.protocol.TaskSpec;
import org.weft.protocol.Values;

/**
 * A client's link to a scheduler in the same JVM ({@link SchedulerService}). Reports are handed to the client's
 * listener on a delivery thread, never on the scheduler loop, so client callbacks cannot stall it.
 */
final class InProcessConnection implements SchedulerConnection {

    private final SchedulerService cluster;
    private volatile String clientId;

    InProcessConnection(SchedulerService cluster) {
        this.cluster = cluster;
    }

    @Override
    public void open(String clientId, ClientListener listener) {
        if (this.clientId != null) {
            throw new IllegalStateException("connection already opened for " + this.clientId);
        }
        ReportMailbox mailbox = new ReportMailbox(cluster.delivery(), reports -> deliver(reports, listener));
        cluster.scheduler().addClient(clientId, mailbox::send).join();
        this.clientId = clientId;
    }

    private static void deliver(List<SchedulerInstruction> reports, ClientListener listener) {
        for (SchedulerInstruction r : reports) {
            if (r instanceof SchedulerInstruction.ReportMemory m) {
                listener.keyInMemory(m.key());
            } else if (r instanceof SchedulerInstruction.ReportErred e) {
                listener.keyErred(e.key(), e.exceptionText(), e.traceback(), e.blamedKey());
            } else if (r instanceof SchedulerInstruction.ReportForgotten f) {
                listener.keyForgotten(f.key(), f.reason());
            } else if (r instanceof SchedulerInstruction.ReportCancelled c) {
                listener.keyCancelled(c.key());
            } else if (r instanceof SchedulerInstruction.ReportEvent e) {
                listener.event(new TopicEvent(e.topic(), e.message(), e.timestampMillis()));
            }
        }
    }

    private String id() {
        if (clientId == null) {
            throw new IllegalStateException("connection not opened");
        }
        return clientId;
    }

    /**
     * Arguments are checked as a remote client checks them, so what fails on a cluster fails here
     * (the client copied their lists and maps already); tasks without arguments cost nothing.
     */
    @Override
    public CompletableFuture<Void> updateGraph(List<TaskSpec> tasks, Set<String> wantedKeys) {
        for (TaskSpec spec : tasks) {
            if (spec.args() == null || spec.args().isEmpty()) {
                continue;
            }
            try {
                Values.check(ClientWire.toWire(spec).args());
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "task '" + spec.key() + "': its arguments cannot be sent to the scheduler: " + e.getMessage(), e));
            }
        }
        return cluster.scheduler().updateGraph(id(), tasks, wantedKeys);
    }

    @Override
    public void releaseKeys(Collection<String> keys) {
        cluster.scheduler().releaseKeys(id(), new ArrayList<>(keys));
    }

    @Override
    public CompletableFuture<Map<String, Object>> gather(Collection<String> keys) {
        List<String> ordered = new ArrayList<>(keys);
        return cluster.scheduler().locate(ordered).thenCompose(where -> {
            Map<String, List<String>> byWorker = new HashMap<>();
            where.forEach((key, worker) -> byWorker.computeIfAbsent(worker, w -> new ArrayList<>()).add(key));
            Map<String, Object> values = new java.util.concurrent.ConcurrentHashMap<>();
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            byWorker.forEach((worker, workerKeys) -> {
                CompletableFuture<Void> part = new CompletableFuture<>();
                cluster.fetchFromWorker(worker, new java.util.LinkedHashSet<>(workerKeys), data -> {
                    for (String key : workerKeys) {
                        if (!data.containsKey(key)) {
                            part.completeExceptionally(
                                    new IllegalStateException("key '" + key + "' is no longer on " + worker));
                            return;
                        }
                    }
                    values.putAll(nullSafe(data));
                    part.complete(null);
                }, reason -> part.completeExceptionally(new IllegalStateException(reason)));
                parts.add(part);
            });
            return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApplyAsync(v -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (String key : ordered) {
                    Object value = values.get(key);
                    // a worker in another process may hold a value of a type no serializer here reads
                    Values.requireReadable(value, "the result of '" + key + "'");
                    out.put(key, value == NULL ? null : value);
                }
                return out;
            }, cluster.delivery());
        });
    }

    private static final Object NULL = new Object();

    /** ConcurrentHashMap holds no nulls; a task may well return null. */
    private static Map<String, Object> nullSafe(Map<String, Object> data) {
        Map<String, Object> out = new HashMap<>(data.size() * 2);
        data.forEach((k, v) -> out.put(k, v == null ? NULL : v));
        return out;
    }

    @Override
    public void close() {
        if (clientId != null) {
            cluster.scheduler().removeClient(clientId);
        }
    }

    // ---------------------------------------------------------------- control (cancel, restart, events)

    @Override
    public CompletableFuture<Void> cancel(Collection<String> keys, boolean force) {
        return cluster.scheduler().cancel(id(), keys, force).thenApply(outcome -> null);
    }

    @Override
    public CompletableFuture<Void> restart() {
        return restart(cluster.restart(id(), null));
    }

    @Override
    public CompletableFuture<Void> restart(java.time.Duration timeout) {
        return restart(cluster.restart(id(), Math.max(1, timeout.toMillis())));
    }

    /** A restart's wait for the workers under nannies that ran out is the client's timeout, as over the network. */
    private static CompletableFuture<Void> restart(CompletableFuture<List<String>> restart) {
        return restart.handle((back, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof java.util.concurrent.TimeoutException t) {
                throw new org.weft.client.WeftTimeoutException(t.getMessage());
            }
            if (cause != null) {
                throw cause instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(cause);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> logEvent(Collection<String> topics, Object message) {
        return cluster.scheduler().logEvent(topics, message);
    }

    @Override
    public CompletableFuture<List<TopicEvent>> events(String topic) {
        return cluster.scheduler().events(topic).thenApply(events -> events.stream()
                .map(e -> new TopicEvent(e.topic(), e.message(), e.timestampMillis())).toList());
    }

    @Override
    public CompletableFuture<Void> subscribeTopic(String topic) {
        return cluster.scheduler().subscribeTopic(id(), topic);
    }

    @Override
    public CompletableFuture<Void> unsubscribeTopic(String topic) {
        return cluster.scheduler().unsubscribeTopic(id(), topic);
    }

    @Override
    public CompletableFuture<List<org.weft.protocol.StoryEntry>> story(Collection<String> keys) {
        return cluster.story(keys);
    }

    @Override
    public CompletableFuture<Map<String, Object>> identity() {
        return cluster.identity();
    }

    @Override
    public CompletableFuture<Object> runOnScheduler(String function, List<Object> args) {
        return cluster.runOnScheduler(function, args);
    }

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    @Override
    public CompletableFuture<List<org.weft.protocol.RetireOutcome>> retireWorkers(Collection<String> workers) {
        id();
        return cluster.scheduler().retireWorkers(workers);
    }

    @Override
    public CompletableFuture<List<String>> workersToClose(Integer n, Integer target) {
        id();
        return cluster.scheduler().workersToClose(n, target);
    }

    @Override
    public CompletableFuture<Integer> adaptiveTarget(long targetDurationMillis) {
        id();
        return cluster.scheduler().adaptiveTarget(targetDurationMillis);
    }
}
