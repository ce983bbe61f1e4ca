package org.weft.scheduler.core.remote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.comm.netty.NettyServer;
import org.weft.comm.netty.NettyTransport;
import org.weft.comm.netty.TransportConfig;
import org.weft.node.wire.StatusWire;
import org.weft.plugin.api.TransitionRecord;
import org.weft.plugin.api.WorkerProcesses;
import org.weft.protocol.Acceptor;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.scheduler.core.cluster.SchedulerService;

/**
 * The scheduler's network face: listens on TCP, lets worker processes join (each becomes a
 * {@link RemoteWorker} the scheduler's node sends instructions to) and serves remote clients.
 * The scheduler it serves ({@link SchedulerService}) may also have workers in its own JVM (the local cluster).
 */
public final class SchedulerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerServer.class);

    /** How long {@link #runOnEach} waits for a worker process's answer. */
    static final long RUN_TIMEOUT_SECONDS = 120;

    /** @param port 0: any free port */
    public record Config(String host, int port, TransportConfig transport) {
    }

    private final SchedulerService cluster;
    private final NettyTransport transport;
    private final NettyServer server;
    private final String id = "Scheduler-" + java.util.UUID.randomUUID();
    /** The bundles every worker process gets before its first task; null: none travel. */
    private final org.weft.depot.DepotDistributor depot;
    /** How long a joining worker may take to install the depot before it is given tasks all the same. */
    static final long DEPOT_JOIN_TIMEOUT_SECONDS = 120;
    private final Map<String, RemoteWorker> workers = new ConcurrentHashMap<>();
    /** Where a remote client's gather reads: workers in this JVM, then worker processes (bytes passed on as they came). */
    private final GatherSource gather;
    /** Restarts waiting for the fresh workers of nannies. */
    private final NannyRestarts restarts = new NannyRestarts();
    /** How long a restart waits for workers under nannies to come back, unless told. */
    public static final long RESTART_TIMEOUT_MILLIS = 120_000;

    private SchedulerServer(SchedulerService cluster, Config config, org.weft.depot.DepotDistributor depot) {
        this.cluster = cluster;
        this.depot = depot;
        this.gather = new WorkerDataGather(cluster, this::fetchEncoded, workers::containsKey);
        this.transport = new NettyTransport(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        try {
            this.server = transport.listen(config.host(), config.port(), config.transport(), this::accept);
        } catch (java.io.IOException e) {
            transport.close();
            throw new java.io.UncheckedIOException("the scheduler cannot listen on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        cluster.addStorySource(this::workerStories);
        cluster.addPluginStatusSource(this::workerPlugins);
        cluster.readWorkerProcessesWith(this::fetch);
        cluster.restartWith(this::restart);
        if (depot != null) {
            depot.onMissingFunctions((worker, functions) -> cluster.scheduler().setMissingFunctions(worker, functions));
        }
    }

    /** The encoded results worker processes hold, as they sent them: a remote client's gather decodes them. */
    private CompletableFuture<Map<String, byte[]>> fetchEncoded(Map<String, String> keyToWorker) {
        Map<String, List<String>> byWorker = new java.util.LinkedHashMap<>();
        keyToWorker.forEach((key, worker) -> byWorker.computeIfAbsent(worker, w -> new ArrayList<>()).add(key));
        Map<String, byte[]> values = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> parts = new ArrayList<>();
        byWorker.forEach((worker, keys) -> {
            RemoteWorker w = workers.get(worker);
            if (w == null) {
                parts.add(CompletableFuture.failedFuture(new IllegalStateException("worker " + worker + " is gone")));
                return;
            }
            parts.add(w.getData(keys).thenAccept(reply -> {
                if (!reply.missing().isEmpty()) {
                    throw new IllegalStateException("key '" + reply.missing().get(0) + "' is no longer on " + worker);
                }
                values.putAll(reply.data());
            }));
        });
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(done -> values);
    }

    /** Reads results a worker process holds, over its link (a client's gather, a local worker's fetch). */
    private boolean fetch(String worker, java.util.Set<String> keys, java.util.function.Consumer<Map<String, Object>> data,
            java.util.function.Consumer<String> failure) {
        RemoteWorker w = workers.get(worker);
        if (w == null) {
            failure.accept("worker " + worker + " is gone");
            return true;
        }
        w.getData(List.copyOf(keys)).whenComplete((reply, error) -> {
            if (error != null) {
                failure.accept(error.getMessage());
                return;
            }
            Map<String, Object> values;
            try {
                values = org.weft.protocol.Values.decodeAll(reply.data());
            } catch (org.weft.protocol.ProtocolException e) {
                failure.accept("worker " + worker + " sent a value that cannot be read: " + e.getMessage());
                return;
            }
            data.accept(values);
        });
        return true;
    }

    /** Listens for workers and clients; the address is known when this returns. */
    public static SchedulerServer start(SchedulerService cluster, Config config) {
        return start(cluster, config, null);
    }

    /**
     * Listens for workers and clients; every worker process that joins gets the bundles of {@code depot}
     * (null: none) before its first task, and clients may upload bundles into it.
     */
    public static SchedulerServer start(SchedulerService cluster, Config config, org.weft.depot.DepotDistributor depot) {
        SchedulerServer server = new SchedulerServer(cluster, config, depot);
        LOG.info("scheduler listening at {}", server.address());
        return server;
    }

    /** {@code tcp://HOST:PORT}, the port the server is bound to. */
    public String address() {
        return server.address();
    }

    /**
     * The counts of this server's transport ({@code TransportStats.snapshot()}): connections accepted,
     * refused, protocol errors, links open, frames and bytes in and out.
     */
    public Map<String, Long> transportStats() {
        return server.stats().snapshot();
    }

    /** The names the worker processes connected now gave, by address. */
    public Map<String, String> workerNames() {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        workers.forEach((address, worker) -> names.put(address, worker.name()));
        return names;
    }

    /** Each worker process's figures from its last heartbeat, by address (what its {@code WorkerFigures} sent). */
    public Map<String, Map<String, Object>> workerFigures() {
        Map<String, Map<String, Object>> figures = new java.util.HashMap<>();
        workers.forEach((address, worker) -> figures.put(address, worker.figures()));
        return figures;
    }

    /** The worker processes connected now, by address. */
    public Collection<String> remoteWorkers() {
        return List.copyOf(workers.keySet());
    }

    private Acceptor.Accepted accept(Handshake.Hello hello, Link link) throws Acceptor.RefusedException {
        return switch (hello.role()) {
            case WORKER -> acceptWorker(hello, link);
            case NANNY -> acceptNanny(hello, link);
            case CLIENT -> ClientSession.accept(cluster, gather, address(), id, hello, link, depot);
            default -> throw new Acceptor.RefusedException("the scheduler does not serve a " + hello.role());
        };
    }

    /**
     * A nanny ({@code bin/weft worker}'s) connects to get the depot's nanny plugins; it says its id
     * ({@code nannyId}, which its worker processes give too) and its worker's name.
     */
    private Acceptor.Accepted acceptNanny(Handshake.Hello hello, Link link) throws Acceptor.RefusedException {
        if (!(hello.info().get("nannyId") instanceof String id) || id.isBlank()) {
            throw new Acceptor.RefusedException("a nanny must say its id (nannyId) in its hello");
        }
        String name = "nanny of " + (hello.name() == null || hello.name().isBlank() ? "an unnamed worker" : hello.name());
        RemoteNanny nanny = new RemoteNanny(id, name, link, depot);
        LOG.info("{} ({}) connected from {}", name, id, link.remoteAddress());
        nanny.joining(); // the depot's nanny plugins go out right behind the welcome, as a worker's bundles do
        return new Acceptor.Accepted(new Handshake.Welcome(this.id, id), nanny);
    }

    private Acceptor.Accepted acceptWorker(Handshake.Hello hello, Link link) throws Acceptor.RefusedException {
        Map<String, Object> info = hello.info();
        if (!(info.get("address") instanceof String address) || !address.startsWith("tcp://")) {
            throw new Acceptor.RefusedException("a worker must say its data address (tcp://HOST:PORT) in its hello");
        }
        try {
            if (org.weft.comm.netty.TcpAddress.parse(address).port() == 0) {
                throw new IllegalArgumentException("port 0");
            }
        } catch (IllegalArgumentException e) {
            // its peers would fail to reach it, again and again, for each result it holds
            throw new Acceptor.RefusedException("a worker's data address must be tcp://HOST:PORT, not '" + address + "'");
        }
        int nthreads = info.get("nthreads") instanceof Number n ? n.intValue() : 0;
        if (nthreads < 1) {
            throw new Acceptor.RefusedException("a worker must have at least one thread (nthreads)");
        }
        Map<String, Double> resources = resources(info.get("resources"));
        String nannyId = info.get("nannyId") instanceof String s && !s.isBlank() ? s : null;
        RemoteWorker[] self = new RemoteWorker[1];
        RemoteWorker joined = new RemoteWorker(address, hello.name(), nannyId, link, cluster.scheduler(), depot,
                () -> workers.remove(address, self[0]));
        self[0] = joined;
        RemoteWorker before = workers.putIfAbsent(address, joined);
        if (before != null) {
            // a worker the scheduler dropped (silent past its TTL) whose old link has not closed yet
            // comes back on a new one: the old link is dead, the new one takes its place
            if (!before.dropped() || !workers.replace(address, before, joined)) {
                throw new Acceptor.RefusedException("a worker at " + address + " is already connected");
            }
            LOG.info("worker {} ({}) connects again while its dropped link is still open; closing the old link", address,
                    hello.name());
            before.close("replaced by a new connection from the same worker");
        }
        if (depot == null) {
            addWorker(joined, hello, link, nthreads, resources);
            return new Acceptor.Accepted(new Handshake.Welcome(id, address), joined);
        }
        // the depot's bundles go out right behind the welcome; the worker gets tasks once it answered for each
        depot.workerJoining(address, hello.name(), link::send)
                .completeOnTimeout(null, DEPOT_JOIN_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
                .whenComplete((settled, left) -> {
                    if (left == null && workers.get(address) == joined) {
                        addWorker(joined, hello, link, nthreads, resources);
                    }
                });
        return new Acceptor.Accepted(new Handshake.Welcome(id, address), joined);
    }

    private void addWorker(RemoteWorker joined, Handshake.Hello hello, Link link, int nthreads, Map<String, Double> resources) {
        String address = joined.address();
        java.util.Set<String> missing = depot == null ? java.util.Set.of() : depot.missingFunctions(address);
        cluster.scheduler().addWorker(joined, nthreads, resources, missing).whenComplete((done, error) -> {
            if (error != null) {
                LOG.warn("worker {} could not join: {}", address, error.toString());
                joined.close("could not join: " + error.getMessage());
            } else {
                LOG.info("worker {} ({}) joined from {} with {} threads{}{}", address, hello.name(), link.remoteAddress(),
                        nthreads, resources.isEmpty() ? "" : " and resources " + resources,
                        joined.nannyId() == null ? "" : " under nanny " + joined.nannyId());
                joined.added();
                restarts.joined(joined.nannyId(), joined.name() == null ? address : joined.name());
            }
        });
    }

    private static Map<String, Double> resources(Object value) throws Acceptor.RefusedException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new Acceptor.RefusedException("a worker's resources must be a map of names to amounts");
        }
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof Number amount) || !(amount.doubleValue() >= 0)) {
                throw new Acceptor.RefusedException("resource " + e.getKey() + " must be a number >= 0");
            }
            out.put(String.valueOf(e.getKey()), amount.doubleValue());
        }
        return out;
    }

    /** The story entries every worker process holds for these keys. */
    private CompletableFuture<List<TransitionRecord>> workerStories(Collection<String> keys) {
        return askEveryWorker("story", Map.of("keys", List.copyOf(keys)), StatusWire::stories);
    }

    /** The plugins of every worker process; a worker that does not answer is left out. */
    private CompletableFuture<List<org.weft.pluginhost.PluginStatus>> workerPlugins() {
        return askEveryWorker("plugins", Map.of(), StatusWire::plugins);
    }

    /** Asks every worker process the same question; the answers read by {@code read}, together. */
    private <T> CompletableFuture<List<T>> askEveryWorker(String what, Map<String, Object> params,
            java.util.function.Function<Object, List<T>> read) {
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (RemoteWorker w : workers.values()) {
            answers.add(w.ask(what, params).exceptionally(e -> List.of()));
        }
        return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            List<T> out = new ArrayList<>();
            for (CompletableFuture<Object> a : answers) {
                out.addAll(read.apply(a.join()));
            }
            return out;
        });
    }

    /**
     * Restarts the scheduler ({@code client.restart()}, {@code weft:restart}): clears its state and
     * tells every worker; a worker process under a nanny ends and its nanny starts a fresh one. Completes
     * once a fresh worker of each of those nannies has joined again (with the depot's bundles installed
     * and its worker plugins set up), with their names; fails with a {@link java.util.concurrent.TimeoutException}
     * naming those that did not come back within {@code timeoutMillis}.
     *
     * @param client the client asking, or null (the shell)
     */
    public CompletableFuture<List<String>> restart(String client, Long timeoutMillis) {
        return restart(client, timeoutMillis == null ? RESTART_TIMEOUT_MILLIS : timeoutMillis.longValue());
    }

    /** {@link #restart(String, Long)} with a timeout. */
    public CompletableFuture<List<String>> restart(String client, long timeoutMillis) {
        if (timeoutMillis < 1) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a restart's timeout must be at least 1 ms, was "
                    + timeoutMillis));
        }
        List<NannyRestarts.Awaited> underNannies = new ArrayList<>();
        for (RemoteWorker w : workers.values()) {
            if (w.nannyId() != null && w.isAdded() && !w.dropped()) {
                underNannies.add(new NannyRestarts.Awaited(w.nannyId(), w.name(), w.address()));
            }
        }
        CompletableFuture<List<String>> back = restarts.await(underNannies, timeoutMillis,
                CompletableFuture.delayedExecutor(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS));
        if (!underNannies.isEmpty()) {
            LOG.info("restart: waiting up to {} ms for {} worker(s) under nannies to come back", timeoutMillis,
                    underNannies.size());
        }
        return cluster.scheduler().restart(client).thenCompose(cleared -> back);
    }

    /**
     * Runs a registered task function once in each worker process connected now (the
     * {@code WorkerProcesses} service); one reply per worker, an error where it failed or left.
     */
    public CompletableFuture<List<WorkerProcesses.Reply>> runOnEach(String function, List<Object> args) {
        return runOnEach(function, args, RUN_TIMEOUT_SECONDS);
    }

    /** {@link #runOnEach(String, List)}, a worker that has not answered after {@code timeoutSeconds} answering that. */
    CompletableFuture<List<WorkerProcesses.Reply>> runOnEach(String function, List<Object> args, long timeoutSeconds) {
        Map<String, Object> params = Map.of("function", function, "args", args == null ? List.of() : new ArrayList<>(args));
        List<CompletableFuture<WorkerProcesses.Reply>> replies = new ArrayList<>();
        workers.forEach((address, w) -> replies.add(w.ask("run", params).handle((value, error) -> error == null
                ? new WorkerProcesses.Reply(address, value, null)
                : new WorkerProcesses.Reply(address, null, String.valueOf(
                        (error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                                ? error.getCause() : error).getMessage())))
                .completeOnTimeout(new WorkerProcesses.Reply(address, null, "no answer within " + timeoutSeconds + " s"),
                        timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)));
        return CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0]))
                .thenApply(done -> replies.stream().map(CompletableFuture::join).toList());
    }

    RemoteWorker worker(String address) {
        return workers.get(address);
    }

    @Override
    public void close() {
        for (RemoteWorker w : workers.values()) {
            w.close("the scheduler is closing");
        }
        server.close();
        transport.close();
    }
}
