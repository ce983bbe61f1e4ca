package org.weft.scheduler.core.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.Client;
import org.weft.client.spi.SchedulerConnection;
import org.weft.client.spi.SchedulerEndpoint;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.TaskFunction;
import org.weft.plugin.api.TransitionRecord;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginStatus;
import org.weft.protocol.RetireOutcome;
import org.weft.protocol.StoryEntry;
import org.weft.scheduler.core.state.SchedulerConfig;

/**
 * The scheduler's side of a cluster: its {@link SchedulerNode}, the connections of clients in
 * this JVM, its timers (worker TTL, idle timeout, plugin upkeep), and the questions about the
 * whole cluster (stories, plugins, a worker's results, restart) that it puts to whichever workers
 * it has through the sources they add. It holds no worker and knows no worker code: the local
 * cluster (the {@code local} module) adds workers of this JVM, a scheduler server adds worker
 * processes, each as sources.
 */
public final class SchedulerService implements SchedulerEndpoint, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);
    /** The address under which clients of this JVM reach the scheduler. */
    public static final String ADDRESS = "inproc://scheduler";

    /**
     * Where results held by some workers are read. Answers false for a worker it does not know, so
     * that the next source is asked.
     */
    @FunctionalInterface
    public interface WorkerData {
        boolean fetch(String worker, Set<String> keys, Consumer<Map<String, Object>> data, Consumer<String> failure);
    }

    /**
     * The worker plugins registered on the scheduler for the workers it has and those that join
     * later (Dask's {@code register_worker_plugin}), as far as the scheduler's commands see them:
     * by name. Whoever runs the workers implements it (the local cluster).
     */
    public interface WorkerPluginRegistry {
        /** The names of the worker plugins registered. */
        List<String> workerPluginNames();

        /**
         * Removes the worker plugin registered under {@code name} from every worker (teardown) and
         * from workers that join later; completes with whether one of that name was registered.
         */
        CompletableFuture<Boolean> removeWorkerPlugin(String name);
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

    private final SchedulerNode scheduler;
    private final TaskFunctionRegistry functions;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService delivery;
    private final ScalingTimers scalingTimers;
    private final List<WorkerData> workerData = new CopyOnWriteArrayList<>();
    /** Reads what worker processes hold: the latest scheduler server's, asked after {@link #workerData}. */
    private volatile WorkerData workerProcesses;
    private final List<WorkerPluginRegistry> workerPluginRegistries = new CopyOnWriteArrayList<>();
    private final List<Supplier<CompletableFuture<List<PluginStatus>>>> pluginStatusSources = new CopyOnWriteArrayList<>();
    private final List<Function<Collection<String>, CompletableFuture<List<TransitionRecord>>>> storySources =
            new CopyOnWriteArrayList<>();
    private final List<Runnable> closeSteps = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> selfCloseListeners = new CopyOnWriteArrayList<>();
    private volatile Restarter restarter = (client, timeoutMillis) -> scheduler().restart(client).thenApply(done -> List.of());
    private volatile String selfCloseReason;
    private volatile boolean closed;

    /** A scheduler not yet started: {@link #startScheduler}, then (its workers added) {@link #startTimers}. */
    public SchedulerService(SchedulerConfig config, PluginHostConfig plugins, TaskFunctionRegistry functions) {
        this.functions = functions;
        this.scheduler = new SchedulerNode(config, plugins);
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("weft-timer"));
        this.delivery = Executors.newSingleThreadScheduledExecutor(daemon("weft-client-delivery"));
        this.scalingTimers = new ScalingTimers(timer, scheduler, this::closeBecauseIdle);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts the scheduler's loop. */
    public void startScheduler() {
        scheduler.start();
    }

    /** Starts the timers: plugin upkeep every second, the worker-TTL and idle checks as configured. */
    public void startTimers(SchedulerConfig config) {
        timer.scheduleWithFixedDelay(scheduler::pluginUpkeep, 1, 1, TimeUnit.SECONDS);
        scalingTimers.start(config);
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

    public TaskFunctionRegistry functions() {
        return functions;
    }

    /** The thread that runs timed work (heartbeats, checks): a task here must be short. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /** The thread that hands reports and gathered results to clients of this JVM. */
    ScheduledExecutorService delivery() {
        return delivery;
    }

    // ---------------------------------------------------------------- what workers add

    /** Adds where results held by workers are read, after the sources added before. */
    public void addWorkerData(WorkerData source) {
        workerData.add(source);
    }

    /**
     * How results held by worker processes are read, asked after the sources added with
     * {@link #addWorkerData} (set by the scheduler's server; a server started later replaces it).
     */
    public void readWorkerProcessesWith(WorkerData processes) {
        this.workerProcesses = processes;
    }

    /** Reads results held by {@code worker}, from the first source that knows it. */
    public void fetchFromWorker(String worker, Set<String> keys, Consumer<Map<String, Object>> data, Consumer<String> failure) {
        for (WorkerData source : workerData) {
            if (source.fetch(worker, keys, data, failure)) {
                return;
            }
        }
        WorkerData processes = workerProcesses;
        if (processes == null || !processes.fetch(worker, keys, data, failure)) {
            failure.accept("peer " + worker + " is gone");
        }
    }

    /** Adds the worker plugins of some workers (see {@link WorkerPluginRegistry}). */
    public void addWorkerPlugins(WorkerPluginRegistry registry) {
        workerPluginRegistries.add(registry);
    }

    /** The names of the worker plugins registered, over every {@link WorkerPluginRegistry}. */
    public List<String> workerPluginNames() {
        List<String> names = new ArrayList<>();
        workerPluginRegistries.forEach(r -> names.addAll(r.workerPluginNames()));
        return names;
    }

    /** Removes the worker plugin named from every {@link WorkerPluginRegistry}; completes with whether one had it. */
    public CompletableFuture<Boolean> removeWorkerPlugin(String name) {
        CompletableFuture<Boolean> removed = CompletableFuture.completedFuture(false);
        for (WorkerPluginRegistry registry : workerPluginRegistries) {
            removed = removed.thenCombine(registry.removeWorkerPlugin(name), Boolean::logicalOr);
        }
        return removed;
    }

    /** Adds where else {@link #pluginStatus} looks: the plugins of workers. */
    public void addPluginStatusSource(Supplier<CompletableFuture<List<PluginStatus>>> source) {
        pluginStatusSources.add(source);
    }

    /** Adds where else {@link #story} looks: the story entries of workers. */
    public void addStorySource(Function<Collection<String>, CompletableFuture<List<TransitionRecord>>> source) {
        storySources.add(source);
    }

    /** Runs {@code step} when closing, after the scheduler closed and before the delivery thread stops. */
    public void onClose(Runnable step) {
        closeSteps.add(step);
    }

    // ---------------------------------------------------------------- cluster-wide questions

    /** Every plugin on the scheduler and on each worker. */
    public CompletableFuture<List<PluginStatus>> pluginStatus() {
        List<CompletableFuture<List<PluginStatus>>> parts = new ArrayList<>();
        parts.add(scheduler.pluginStatus());
        for (Supplier<CompletableFuture<List<PluginStatus>>> source : pluginStatusSources) {
            parts.add(source.get());
        }
        return concat(parts);
    }

    /** The parts' lists one after the other, once every part completed. */
    public static <T> CompletableFuture<List<T>> concat(List<CompletableFuture<List<T>>> parts) {
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<T> all = new ArrayList<>();
            parts.forEach(p -> all.addAll(p.join()));
            return all;
        });
    }

    /** The stories of these keys on the scheduler and every worker, merged oldest first. */
    public CompletableFuture<List<StoryEntry>> story(Collection<String> keys) {
        List<CompletableFuture<List<TransitionRecord>>> parts = new ArrayList<>();
        parts.add(scheduler.query(s -> storiesOf(keys, s::story)));
        for (Function<Collection<String>, CompletableFuture<List<TransitionRecord>>> source : storySources) {
            parts.add(source.apply(keys));
        }
        return concat(parts).thenApply(records -> {
            List<StoryEntry> out = new ArrayList<>(records.size());
            for (TransitionRecord r : records) {
                out.add(new StoryEntry(r.key(), r.where(), r.start(), r.finish(), r.stimulusId(), r.timestampMillis()));
            }
            out.sort(Comparator.comparingLong(StoryEntry::timestampMillis));
            return out;
        });
    }

    /** Each key's story as {@code story} tells it, one after the other. */
    public static List<TransitionRecord> storiesOf(Collection<String> keys, Function<String, List<TransitionRecord>> story) {
        List<TransitionRecord> out = new ArrayList<>();
        for (String key : keys) {
            out.addAll(story.apply(key));
        }
        return out;
    }

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

    /** Dask's {@code identity()} of this scheduler. */
    public CompletableFuture<Map<String, Object>> identity() {
        return scheduler.identity(ADDRESS);
    }

    /**
     * Runs the registered task function {@code name} on the scheduler's loop thread; fails with
     * {@link IllegalArgumentException} naming the known functions if there is none by that name.
     */
    public CompletableFuture<Object> runOnScheduler(String name, List<Object> args) {
        TaskFunction function;
        try {
            function = functions.lookup(name);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return scheduler.runOnScheduler(name, function, args == null ? List.of() : args, ADDRESS);
    }

    /**
     * Retires these workers: their unique results move to other workers first, then they close
     * and leave the cluster. Completes with each worker's outcome, in the order asked.
     */
    public CompletableFuture<List<RetireOutcome>> retireWorkers(Collection<String> addresses) {
        return scheduler.retireWorkers(addresses);
    }

    // ---------------------------------------------------------------- settings, idle, closing

    /**
     * New settings for the scheduler, applied between two stimuli (see {@link SchedulerNode#reconfigure});
     * the worker-TTL and idle timers follow (see {@link ScalingTimers#changed}).
     */
    public CompletableFuture<Void> reconfigure(SchedulerConfig before, SchedulerConfig schedulerConfig, PluginHostConfig pluginConfig) {
        CompletableFuture<Void> done = scheduler.reconfigure(schedulerConfig, pluginConfig);
        scalingTimers.changed(before, schedulerConfig);
        return done;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Called once if the cluster closes itself (idle timeout), with the reason, on a thread of its
     * own after the cluster closed; at once if that already happened.
     */
    public void onSelfClose(Consumer<String> listener) {
        selfCloseListeners.add(listener);
        String reason = selfCloseReason;
        if (reason != null && selfCloseListeners.remove(listener)) {
            listener.accept(reason);
        }
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
            for (Consumer<String> listener : selfCloseListeners) {
                if (selfCloseListeners.remove(listener)) {
                    listener.accept(reason);
                }
            }
        }, "weft-idle-close");
        closer.setDaemon(true);
        closer.start();
    }

    /** Stops the timers, closes the scheduler's plugins and loop, runs the close steps (the workers), then stops delivery. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        timer.shutdownNow();
        scheduler.close();
        for (Runnable step : closeSteps) {
            step.run();
        }
        delivery.shutdown();
    }
}
