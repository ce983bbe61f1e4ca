package org.weft.scheduler.core.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.Client;
import org.weft.client.spi.SchedulerConnection;
import org.weft.client.spi.SchedulerEndpoint;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.node.link.SchedulerLink;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginStatus;
import org.weft.protocol.Values;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.worker.PeerData;
import org.weft.worker.WorkerNode;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;
import org.weft.worker.WorkerPlugins;

/**
 * A scheduler and N workers in one JVM: the embedded default, the demo, and most tests. Works
 * with plain {@code new} outside OSGi; the DS component in {@code osgi} wraps it.
 */
public final class LocalCluster implements SchedulerEndpoint, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    public static final String ADDRESS = "inproc://scheduler";

    /** Changed by {@link #reconfigure}; workers starting later read it. */
    private volatile LocalClusterConfig config;
    private final TaskFunctionRegistry functions;
    private final SchedulerNode scheduler;
    private final Map<String, WorkerNode> workers = new ConcurrentHashMap<>();
    private final WorkerPlugins workerPlugins = new WorkerPlugins();
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService delivery;
    private final ScalingTimers scalingTimers;
    private final AtomicInteger workerSeq = new AtomicInteger();
    private volatile boolean closed;

    private LocalCluster(LocalClusterConfig config, TaskFunctionRegistry functions) {
        this.config = config;
        this.functions = functions;
        this.scheduler = new SchedulerNode(config.scheduler(), config.plugins());
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("weft-timer"));
        this.delivery = Executors.newSingleThreadScheduledExecutor(daemon("weft-client-delivery"));
        this.scalingTimers = new ScalingTimers(timer, scheduler, this::closeBecauseIdle);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts the scheduler and the configured workers; returns once all workers have joined. */
    public static LocalCluster start(LocalClusterConfig config, TaskFunctionRegistry functions) {
        return start(config, functions, cluster -> { });
    }

    /**
     * Starts the scheduler, runs {@code beforeWorkers} (a preload's plugins see every worker join),
     * then the configured workers; returns once all workers have joined.
     *
     * @throws RuntimeException what {@code beforeWorkers} threw, after closing the cluster
     */
    public static LocalCluster start(LocalClusterConfig config, TaskFunctionRegistry functions,
            java.util.function.Consumer<LocalCluster> beforeWorkers) {
        LocalCluster cluster = new LocalCluster(config, functions);
        cluster.scheduler.start();
        try {
            beforeWorkers.accept(cluster);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        List<CompletableFuture<WorkerNode>> joins = new ArrayList<>();
        for (int i = 0; i < config.workers(); i++) {
            joins.add(cluster.addWorker());
        }
        joins.forEach(CompletableFuture::join);
        cluster.timer.scheduleWithFixedDelay(cluster::pluginUpkeep, 1, 1, TimeUnit.SECONDS);
        cluster.scalingTimers.start(config.scheduler());
        LOG.info("local cluster started: {} workers x {} threads", config.workers(), config.threadsPerWorker());
        return cluster;
    }

    // ---------------------------------------------------------------- endpoint

    @Override
    public String address() {
        return ADDRESS;
    }

    @Override
    public SchedulerConnection connect() {
        return new InProcessConnection(this);
    }

    /** A connected client; close it when done. */
    public Client client() {
        return Client.connect(connect());
    }

    public SchedulerNode scheduler() {
        return scheduler;
    }

    public List<WorkerNode> workers() {
        return new ArrayList<>(workers.values());
    }

    /** Workers reach the scheduler of this JVM directly. */
    private final SchedulerLink inProcessScheduler = new SchedulerLink() {
        @Override
        public void reports(String worker, List<org.weft.node.WorkerInstruction> reports, boolean workerIdle) {
            scheduler.workerReports(worker, reports, workerIdle);
        }

        @Override
        public void heartbeat(String worker) {
            scheduler.workerHeartbeat(worker);
        }
    };

    private volatile PeerData remoteWorkers = (peer, keys, data, failure) -> failure.accept("peer " + peer + " is gone");

    /** How results held by workers in other processes are read (set by the scheduler's server). */
    public void readRemoteWorkersWith(PeerData remote) {
        this.remoteWorkers = remote;
    }

    /** How a restart is done: the scheduler's alone, or (a scheduler process) with the wait for the workers of nannies. */
    @FunctionalInterface
    public interface Restarter {
        /**
         * @param client the client asking, or null
         * @param timeoutMillis how long to wait for workers that come back (null: the default)
         * @return the names of the workers that came back
         */
        CompletableFuture<List<String>> restart(String client, Long timeoutMillis);
    }

    private volatile Restarter restarter = (client, timeoutMillis) -> scheduler().restart(client).thenApply(done -> List.of());

    /** Restarts go through {@code restarter} from now on (a scheduler server, whose worker processes may run under nannies). */
    public void restartWith(Restarter restarter) {
        this.restarter = restarter;
    }

    /**
     * Restarts the scheduler ({@code client.restart()}, {@code weft:restart}); with a scheduler server,
     * completes once the workers under nannies came back ({@link #restartWith}).
     *
     * @param timeoutMillis how long to wait for them (null: the default)
     */
    public CompletableFuture<List<String>> restart(String client, Long timeoutMillis) {
        return restarter.restart(client, timeoutMillis);
    }

    /**
     * Reads results held by a worker: one of this JVM on its loop (or on the calling thread, if
     * that loop is idle), one in another process over its link.
     */
    void fetchFromPeer(String peer, java.util.Set<String> keys, java.util.function.Consumer<Map<String, Object>> data,
            java.util.function.Consumer<String> failure) {
        WorkerNode node = workers.get(peer);
        if (node == null) {
            remoteWorkers.fetch(peer, keys, data, failure); // decoded: fresh copies already
        } else {
            node.collect(keys, held -> {
                Map<String, Object> copies;
                try {
                    copies = copies(held);
                } catch (RuntimeException e) { // a serializer that fails, or was unregistered meanwhile
                    failure.accept("worker " + peer + " cannot hand a result over: " + e.getMessage());
                    return;
                }
                data.accept(copies);
            });
        }
    }

    /**
     * What crossing a process boundary makes of results: a fresh copy each (integers as
     * {@code Long}), so a client or a worker that receives a result never shares it with the
     * worker that holds it. Immutable values are passed on as they are, so a null or a number costs
     * nothing.
     */
    private static Map<String, Object> copies(Map<String, Object> held) {
        Map<String, Object> out = null;
        for (Map.Entry<String, Object> e : held.entrySet()) {
            Object value = e.getValue();
            Object copy = Values.copy(value);
            if (copy != value) {
                if (out == null) {
                    out = new java.util.HashMap<>(held);
                }
                out.put(e.getKey(), copy);
            }
        }
        return out == null ? held : out;
    }

    WorkerNode worker(String address) {
        return workers.get(address);
    }

    ScheduledExecutorService delivery() {
        return delivery;
    }

    public TaskFunctionRegistry functions() {
        return functions;
    }

    public LocalClusterConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- workers

    /**
     * Starts a worker, sets up every registered worker plugin on it (a failing setup is logged
     * and shown as FAILED for that worker), then lets it join the scheduler.
     */
    public CompletableFuture<WorkerNode> addWorker() {
        return addWorker(config.workerResources());
    }

    /**
     * Like {@link #addWorker()}, for a worker that offers abstract {@code resources} (e.g.
     * {@code GPU=1.0}): a task asking for some runs there only while they are free.
     */
    public CompletableFuture<WorkerNode> addWorker(Map<String, Double> resources) {
        String address = "inproc://worker-" + workerSeq.incrementAndGet();
        WorkerNode node = new WorkerNode(address, config.threadsPerWorker(), resources, functions, inProcessScheduler, this,
                this::fetchFromPeer, config.plugins(), config.scheduler().validate());
        // results are checked as a worker process checks them, so what fails on a cluster fails here too
        node.checkResultsWith(Values::check);
        workers.put(address, node);
        node.onCloseRequest(reason -> closeWorkerLater(node));
        node.start();
        node.startHeartbeats(timer, ScalingTimers.heartbeatMillis(config.scheduler()));
        List<CompletableFuture<WorkerPluginOutcome>> setups = workerPlugins.setUpAll(node);
        return CompletableFuture.allOf(setups.toArray(new CompletableFuture[0]))
                .thenCompose(v -> {
                    for (CompletableFuture<WorkerPluginOutcome> s : setups) {
                        WorkerPluginOutcome o = s.join();
                        if (o.failed()) {
                            LOG.warn("worker plugin setup failed on joining worker {}", o.worker(), o.error());
                        }
                    }
                    return scheduler.addWorker(node, node.nthreads(), node.resources());
                })
                .thenApply(v -> node);
    }

    /** Removes a worker: the scheduler reschedules its work, then the worker tears its plugins down. */
    public CompletableFuture<Void> removeWorker(String address) {
        WorkerNode node = workers.remove(address);
        if (node == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no worker '" + address + "'"));
        }
        return scheduler.removeWorker(address).thenRun(() -> {
            node.close();
            releaseInstancesOf(address);
        });
    }

    // ---------------------------------------------------------------- worker plugins

    /** Every second: the scheduler's and each worker's plugin hosts report drops (and expire handovers). */
    private void pluginUpkeep() {
        scheduler.pluginUpkeep();
        for (WorkerNode node : workers.values()) {
            node.pluginUpkeep();
        }
    }

    /** Registers a worker plugin for every worker now and later; completes with one outcome per worker. */
    public CompletableFuture<List<WorkerPluginOutcome>> addWorkerPlugin(WorkerPluginFactory factory) {
        return workerPlugins.add(factory, workers.values());
    }

    /** The factory's plugins leave every worker (teardown), e.g. because their bundle stopped. */
    public CompletableFuture<Void> removeWorkerPlugin(WorkerPluginFactory factory) {
        return workerPlugins.remove(factory, workers::get);
    }

    /** With {@code awaitReplacement} (its bundle is being updated) each worker holds the plugin's events for its successor. */
    public CompletableFuture<Void> removeWorkerPlugin(WorkerPluginFactory factory, boolean awaitReplacement) {
        return workerPlugins.remove(factory, workers::get, awaitReplacement);
    }

    /** The worker plugin of this name will not come back: every worker discards what it holds for it. */
    public void dropWorkerHandover(String name) {
        workers.values().forEach(w -> w.dropHandover(name));
    }

    /**
     * Removes the worker plugin registered under {@code name} from every worker (teardown) and
     * from workers that join later.
     *
     * @return whether a worker plugin of that name was registered
     */
    public CompletableFuture<Boolean> removeWorkerPlugin(String name) {
        return workerPlugins.remove(name, workers::get);
    }

    /** The names of the worker plugins registered for the cluster. */
    public List<String> workerPluginNames() {
        return workerPlugins.names();
    }

    private void releaseInstancesOf(String worker) {
        workerPlugins.releaseInstancesOf(worker);
    }

    private final List<java.util.function.Supplier<CompletableFuture<List<PluginStatus>>>> pluginStatusSources =
            new CopyOnWriteArrayList<>();

    /** Adds where else {@link #pluginStatus} looks: the plugins of workers in other processes. */
    public void addPluginStatusSource(java.util.function.Supplier<CompletableFuture<List<PluginStatus>>> source) {
        pluginStatusSources.add(source);
    }

    /** Every plugin on the scheduler and on each worker. */
    public CompletableFuture<List<PluginStatus>> pluginStatus() {
        List<CompletableFuture<List<PluginStatus>>> parts = new ArrayList<>();
        parts.add(scheduler.pluginStatus());
        for (WorkerNode node : workers.values()) {
            parts.add(node.pluginStatus());
        }
        for (java.util.function.Supplier<CompletableFuture<List<PluginStatus>>> source : pluginStatusSources) {
            parts.add(source.get());
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(v -> {
            List<PluginStatus> all = new ArrayList<>();
            parts.forEach(p -> all.addAll(p.join()));
            return all;
        });
    }

    // ---------------------------------------------------------------- control (cancel, restart, events)

    /** The stories of these keys on the scheduler and every worker, merged oldest first. */
    public CompletableFuture<List<org.weft.protocol.StoryEntry>> story(Collection<String> keys) {
        List<CompletableFuture<List<org.weft.plugin.api.TransitionRecord>>> parts = new ArrayList<>();
        parts.add(scheduler.query(s -> storiesOf(keys, s::story)));
        for (WorkerNode worker : workers()) {
            parts.add(worker.query(w -> storiesOf(keys, w::story)));
        }
        for (java.util.function.Function<Collection<String>, CompletableFuture<List<org.weft.plugin.api.TransitionRecord>>> source
                : storySources) {
            parts.add(source.apply(keys));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            List<org.weft.protocol.StoryEntry> out = new ArrayList<>();
            for (CompletableFuture<List<org.weft.plugin.api.TransitionRecord>> part : parts) {
                for (org.weft.plugin.api.TransitionRecord r : part.join()) {
                    out.add(new org.weft.protocol.StoryEntry(r.key(), r.where(), r.start(), r.finish(),
                            r.stimulusId(), r.timestampMillis()));
                }
            }
            out.sort(java.util.Comparator.comparingLong(org.weft.protocol.StoryEntry::timestampMillis));
            return out;
        });
    }

    private final List<java.util.function.Function<Collection<String>, CompletableFuture<List<org.weft.plugin.api.TransitionRecord>>>> storySources =
            new CopyOnWriteArrayList<>();

    /** Adds where else {@link #story} looks: the story entries of workers in other processes. */
    public void addStorySource(
            java.util.function.Function<Collection<String>, CompletableFuture<List<org.weft.plugin.api.TransitionRecord>>> source) {
        storySources.add(source);
    }

    private static List<org.weft.plugin.api.TransitionRecord> storiesOf(Collection<String> keys,
            java.util.function.Function<String, List<org.weft.plugin.api.TransitionRecord>> story) {
        List<org.weft.plugin.api.TransitionRecord> out = new ArrayList<>();
        for (String key : keys) {
            out.addAll(story.apply(key));
        }
        return out;
    }

    /** Dask's {@code identity()} of this cluster's scheduler. */
    public CompletableFuture<Map<String, Object>> identity() {
        return scheduler.identity(ADDRESS);
    }

    /**
     * Runs the registered task function {@code name} on the scheduler's loop thread; fails with
     * {@link IllegalArgumentException} naming the known functions if there is none by that name.
     */
    public CompletableFuture<Object> runOnScheduler(String name, List<Object> args) {
        org.weft.plugin.api.TaskFunction function;
        try {
            function = functions.lookup(name);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return scheduler.runOnScheduler(name, function, args == null ? List.of() : args, ADDRESS);
    }

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    private final List<java.util.function.Consumer<String>> selfCloseListeners = new CopyOnWriteArrayList<>();
    private volatile String selfCloseReason;

    /**
     * Retires these workers: their unique results move to other workers first, then they close
     * and leave the cluster. Completes with each worker's outcome, in the order asked.
     */
    public CompletableFuture<List<org.weft.protocol.RetireOutcome>> retireWorkers(java.util.Collection<String> addresses) {
        return scheduler.retireWorkers(addresses);
    }

    /**
     * Called once if the cluster closes itself (idle timeout), with the reason, on a thread of its
     * own after the cluster closed; at once if that already happened.
     */
    public void onSelfClose(java.util.function.Consumer<String> listener) {
        selfCloseListeners.add(listener);
        String reason = selfCloseReason;
        if (reason != null && selfCloseListeners.remove(listener)) {
            listener.accept(reason);
        }
    }

    /**
     * New settings for the running cluster. The scheduler applies them between two stimuli (see
     * {@link SchedulerNode#reconfigure}), each worker's plugin host on its loop, and workers that
     * join later start with them; the heartbeat, worker-TTL and idle timers follow (see
     * {@link ScalingTimers#changed}). A worker's size, resources and validation stay as they started.
     *
     * @return completes once the scheduler and every worker have the new settings
     */
    public synchronized CompletableFuture<Void> reconfigure(SchedulerConfig schedulerConfig, PluginHostConfig pluginConfig) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the cluster is closed"));
        }
        SchedulerConfig before = config.scheduler();
        config = new LocalClusterConfig(config.workers(), config.threadsPerWorker(), schedulerConfig, pluginConfig,
                config.workerResources());
        List<CompletableFuture<?>> all = new ArrayList<>();
        all.add(scheduler.reconfigure(schedulerConfig, pluginConfig));
        for (WorkerNode node : workers.values()) {
            all.add(node.reconfigurePlugins(pluginConfig));
        }
        scalingTimers.changed(before, schedulerConfig, workers.values());
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    private void closeBecauseIdle(long idleMillis) {
        if (closed || selfCloseReason != null) {
            return;
        }
        String reason = "idle timeout: no tasks and no client activity for " + idleMillis + " ms";
        selfCloseReason = reason;
        LOG.info("Weft scheduler closing itself: {}", reason);
        Thread closer = new Thread(() -> {
            close();
            for (java.util.function.Consumer<String> listener : selfCloseListeners) {
                if (selfCloseListeners.remove(listener)) {
                    listener.accept(reason);
                }
            }
        }, "weft-idle-close");
        closer.setDaemon(true);
        closer.start();
    }

    /** The scheduler told this worker to close (retired, or silent past the TTL): close it off the worker's loop. */
    private void closeWorkerLater(WorkerNode node) {
        if (!workers.remove(node.address(), node)) {
            return;
        }
        Thread closer = new Thread(() -> {
            node.close();
            releaseInstancesOf(node.address());
        }, "weft-close-" + node.address());
        closer.setDaemon(true);
        closer.start();
    }

    // ---------------------------------------------------------------- closing

    /** Closes the scheduler's plugins, then the workers (tearing their plugins down), then the threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        scheduler.close();
        Map<WorkerNode, Boolean> done = new IdentityHashMap<>();
        for (WorkerNode node : workers.values()) {
            if (done.put(node, Boolean.TRUE) == null) {
                node.close();
                releaseInstancesOf(node.address());
            }
        }
        workers.clear();
        delivery.shutdown();
        LOG.info("local cluster closed");
    }
}
