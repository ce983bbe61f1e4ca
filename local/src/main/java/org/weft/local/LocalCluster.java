package org.weft.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.Client;
import org.weft.client.spi.SchedulerConnection;
import org.weft.client.spi.SchedulerEndpoint;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.node.link.SchedulerLink;
import org.weft.plugin.api.TransitionRecord;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginStatus;
import org.weft.protocol.RetireOutcome;
import org.weft.protocol.StoryEntry;
import org.weft.protocol.Values;
import org.weft.scheduler.core.cluster.ScalingTimers;
import org.weft.scheduler.core.cluster.SchedulerNode;
import org.weft.scheduler.core.cluster.SchedulerService;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.worker.WorkerNode;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;
import org.weft.worker.WorkerPlugins;

/**
 * A scheduler and N workers in one JVM: the embedded default, the demo, and most tests. Works
 * with plain {@code new} outside OSGi; the DS component in {@code osgi} wraps it. The scheduler's
 * side is a {@link SchedulerService}; this class adds the workers of this JVM to it, as sources of
 * results, stories and plugin states, as a scheduler server adds worker processes, and the worker
 * plugins registered for them ({@link SchedulerService.WorkerPluginRegistry}).
 */
public final class LocalCluster implements SchedulerEndpoint, SchedulerService.WorkerPluginRegistry, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    public static final String ADDRESS = SchedulerService.ADDRESS;

    /** Changed by {@link #reconfigure}; workers starting later read it. */
    private volatile LocalClusterConfig config;
    private final SchedulerService service;
    private final SchedulerNode scheduler;
    private final Map<String, WorkerNode> workers = new ConcurrentHashMap<>();
    private final WorkerPlugins workerPlugins = new WorkerPlugins();
    private final AtomicInteger workerSeq = new AtomicInteger();

    private LocalCluster(LocalClusterConfig config, TaskFunctionRegistry functions) {
        this.config = config;
        this.service = new SchedulerService(config.scheduler(), config.plugins(), functions);
        this.scheduler = service.scheduler();
        service.addWorkerData(this::fetchFromWorkerHere);
        service.addWorkerPlugins(this);
        service.addStorySource(this::workerStories);
        service.addPluginStatusSource(this::workerPluginStatus);
        service.onClose(this::closeWorkers);
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
        cluster.service.startScheduler();
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
        cluster.service.timer().scheduleWithFixedDelay(cluster::workerPluginUpkeep, 1, 1, TimeUnit.SECONDS);
        cluster.service.startTimers(config.scheduler());
        LOG.info("local cluster started: {} workers x {} threads", config.workers(), config.threadsPerWorker());
        return cluster;
    }

    // ---------------------------------------------------------------- endpoint

    @Override
    public String address() {
        return service.address();
    }

    @Override
    public SchedulerConnection connect() {
        return service.connect();
    }

    /** A connected client; close it when done. */
    public Client client() {
        return service.client();
    }

    /** The scheduler's side of this cluster, which reaches these workers only through the sources they added. */
    public SchedulerService service() {
        return service;
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

    /** Restarts go through {@code restarter} from now on (see {@link SchedulerService#restartWith}). */
    public void restartWith(SchedulerService.Restarter restarter) {
        service.restartWith(restarter);
    }

    /** See {@link SchedulerService#restart}. */
    public CompletableFuture<List<String>> restart(String client, Long timeoutMillis) {
        return service.restart(client, timeoutMillis);
    }

    /**
     * Reads results held by a worker of this JVM on its loop (or on the calling thread, if that
     * loop is idle); false if no worker of this JVM has that address.
     */
    private boolean fetchFromWorkerHere(String peer, java.util.Set<String> keys,
            java.util.function.Consumer<Map<String, Object>> data, java.util.function.Consumer<String> failure) {
        WorkerNode node = workers.get(peer);
        if (node == null) {
            return false;
        }
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
        return true;
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

    public TaskFunctionRegistry functions() {
        return service.functions();
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
        WorkerNode node = new WorkerNode(address, config.threadsPerWorker(), resources, service.functions(), inProcessScheduler,
                this, service::fetchFromWorker, config.plugins(), config.scheduler().validate());
        // results are checked as a worker process checks them, so what fails on a cluster fails here too
        node.checkResultsWith(Values::check);
        workers.put(address, node);
        node.onCloseRequest(reason -> closeWorkerLater(node));
        node.start();
        node.startHeartbeats(service.timer(), ScalingTimers.heartbeatMillis(config.scheduler()));
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

    /** Every second: each worker's plugin host reports drops (and expires handovers); the scheduler's does the same. */
    private void workerPluginUpkeep() {
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
    @Override
    public CompletableFuture<Boolean> removeWorkerPlugin(String name) {
        return workerPlugins.remove(name, workers::get);
    }

    /** The names of the worker plugins registered for the cluster. */
    @Override
    public List<String> workerPluginNames() {
        return workerPlugins.names();
    }

    private void releaseInstancesOf(String worker) {
        workerPlugins.releaseInstancesOf(worker);
    }

    /** Adds where else {@link #pluginStatus} looks (see {@link SchedulerService#addPluginStatusSource}). */
    public void addPluginStatusSource(java.util.function.Supplier<CompletableFuture<List<PluginStatus>>> source) {
        service.addPluginStatusSource(source);
    }

    /** Every plugin on the scheduler and on each worker. */
    public CompletableFuture<List<PluginStatus>> pluginStatus() {
        return service.pluginStatus();
    }

    /** The plugins of this JVM's workers. */
    private CompletableFuture<List<PluginStatus>> workerPluginStatus() {
        List<CompletableFuture<List<PluginStatus>>> parts = new ArrayList<>();
        for (WorkerNode node : workers.values()) {
            parts.add(node.pluginStatus());
        }
        return SchedulerService.concat(parts);
    }

    // ---------------------------------------------------------------- control (cancel, restart, events)

    /** The stories of these keys on the scheduler and every worker, merged oldest first. */
    public CompletableFuture<List<StoryEntry>> story(Collection<String> keys) {
        return service.story(keys);
    }

    /** Adds where else {@link #story} looks (see {@link SchedulerService#addStorySource}). */
    public void addStorySource(java.util.function.Function<Collection<String>, CompletableFuture<List<TransitionRecord>>> source) {
        service.addStorySource(source);
    }

    /** The story entries of these keys on this JVM's workers. */
    private CompletableFuture<List<TransitionRecord>> workerStories(Collection<String> keys) {
        List<CompletableFuture<List<TransitionRecord>>> parts = new ArrayList<>();
        for (WorkerNode worker : workers()) {
            parts.add(worker.query(w -> SchedulerService.storiesOf(keys, w::story)));
        }
        return SchedulerService.concat(parts);
    }

    /** Dask's {@code identity()} of this cluster's scheduler. */
    public CompletableFuture<Map<String, Object>> identity() {
        return service.identity();
    }

    /** See {@link SchedulerService#runOnScheduler}. */
    public CompletableFuture<Object> runOnScheduler(String name, List<Object> args) {
        return service.runOnScheduler(name, args);
    }

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    /** See {@link SchedulerService#retireWorkers}. */
    public CompletableFuture<List<RetireOutcome>> retireWorkers(Collection<String> addresses) {
        return service.retireWorkers(addresses);
    }

    /** See {@link SchedulerService#onSelfClose}. */
    public void onSelfClose(java.util.function.Consumer<String> listener) {
        service.onSelfClose(listener);
    }

    /**
     * New settings for the running cluster. The scheduler applies them between two stimuli (see
     * {@link SchedulerService#reconfigure}), each worker's plugin host on its loop, and workers that
     * join later start with them; a new worker TTL changes how often the workers heartbeat. A
     * worker's size, resources and validation stay as they started.
     *
     * @return completes once the scheduler and every worker have the new settings
     */
    public synchronized CompletableFuture<Void> reconfigure(SchedulerConfig schedulerConfig, PluginHostConfig pluginConfig) {
        if (service.isClosed()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the cluster is closed"));
        }
        SchedulerConfig before = config.scheduler();
        config = new LocalClusterConfig(config.workers(), config.threadsPerWorker(), schedulerConfig, pluginConfig,
                config.workerResources());
        List<CompletableFuture<?>> all = new ArrayList<>();
        all.add(service.reconfigure(before, schedulerConfig, pluginConfig));
        for (WorkerNode node : workers.values()) {
            all.add(node.reconfigurePlugins(pluginConfig));
        }
        if (before.workerTtlMillis() != schedulerConfig.workerTtlMillis()) {
            long every = ScalingTimers.heartbeatMillis(schedulerConfig);
            for (WorkerNode node : workers.values()) {
                node.startHeartbeats(service.timer(), every);
            }
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
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
        service.close();
    }

    /** The workers' part of {@link SchedulerService#close}, once the scheduler closed. */
    private void closeWorkers() {
        Map<WorkerNode, Boolean> done = new IdentityHashMap<>();
        for (WorkerNode node : workers.values()) {
            if (done.put(node, Boolean.TRUE) == null) {
                node.close();
                releaseInstancesOf(node.address());
            }
        }
        workers.clear();
        LOG.info("local cluster closed");
    }
}
