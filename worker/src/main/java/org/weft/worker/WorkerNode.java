package org.weft.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.spi.SchedulerEndpoint;
import org.weft.node.EventLoop;
import org.weft.node.SchedulerInstruction;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.WorkerInstruction;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.node.link.SchedulerLink;
import org.weft.node.link.WorkerLink;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.ReleaseKeyEvent;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerTransitionEvent;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.PluginStartException;
import org.weft.pluginhost.PluginStatus;
import org.weft.pluginhost.Registration;
import org.weft.pluginhost.WorkerPluginHost;
import org.weft.protocol.Values;
import org.weft.worker.state.WorkerEvents;
import org.weft.worker.state.WorkerState;
import org.weft.worker.state.WorkerTask;

/**
 * One worker: its state machine, plugin host, executor threads, and the loop thread that owns the
 * state. Task functions run on the executor and report back through the loop. Results and
 * failures go to the scheduler batched per loop turn.
 */
public final class WorkerNode implements WorkerLink, AutoCloseable {

    /** A plugin whose close or teardown hangs must not hang the shutdown. */
    private static final long CLOSE_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

    private final String address;
    private final int nthreads;
    private final EventLoop loop;
    private final WorkerState state;
    private final WorkerPluginHost plugins;
    private final ExecutorService executor;
    private final TaskFunctionRegistry functions;
    private final SchedulerLink scheduler;
    private final PeerData peers;
    private volatile Map<String, Double> resources;
    private final TaskRuntime runtime;

    public WorkerNode(String address, int nthreads, TaskFunctionRegistry functions, SchedulerLink scheduler,
            PeerData peers, PluginHostConfig pluginConfig, boolean validate) {
        this(address, nthreads, Map.of(), functions, scheduler, null, peers, pluginConfig, validate);
    }

    /**
     * @param resources abstract resources (e.g. {@code GPU=1.0}) tasks may ask for; empty if none
     * @param endpoint where {@link org.weft.client.Client#current()} connects tasks that submit
     *        tasks; null if they may not
     */
    public WorkerNode(String address, int nthreads, Map<String, Double> resources, TaskFunctionRegistry functions,
            SchedulerLink scheduler, SchedulerEndpoint endpoint, PeerData peers,
            PluginHostConfig pluginConfig, boolean validate) {
        this.address = address;
        this.resources = Map.copyOf(resources);
        this.nthreads = nthreads;
        this.functions = functions;
        this.scheduler = scheduler;
        this.peers = peers;
        // An executor thread may run the loop's work itself while the loop is idle, plugin hooks
        // included, as on the scheduler: the plugin API promises an exclusive loop, not one thread
        // (a hand-off to the loop thread per result made any worker plugin cost ~3/4 of noop throughput).
        this.loop = new EventLoop("weft-worker-" + shortName(address), this::flush, () -> true);
        PluginEvents events = new PluginEvents();
        this.state = new WorkerState(address, nthreads, this.resources, events, validate, 10_000, System::currentTimeMillis);
        this.plugins = new WorkerPluginHost(state, pluginConfig);
        // nthreads threads and a queue, so a thread that finishes a task picks the next one up without
        // a hand-off; a task that secedes keeps its thread, so the pool grows by one while it is
        // seceded (the state machine keeps the runs holding a thread at nthreads).
        this.executor = new ThreadPoolExecutor(nthreads, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), namedThreads("weft-exec-" + shortName(address)));
        this.runtime = new TaskRuntime(address, endpoint, s -> {
            resizePool(s.secede() ? +1 : -1);
            loop.execute(() -> {
                if (s.secede()) {
                    state.secede(s.key(), "secede-" + s.key());
                } else {
                    state.rejoin(s.key(), "rejoin-" + s.key());
                }
            });
        });
    }

    private synchronized void resizePool(int delta) {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) executor;
        pool.setCorePoolSize(Math.max(nthreads, pool.getCorePoolSize() + delta));
    }

    private static String shortName(String address) {
        int slash = address.lastIndexOf('/');
        return slash >= 0 ? address.substring(slash + 1) : address;
    }

    private static ThreadFactory namedThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public void start() {
        loop.start();
    }

    @Override
    public String address() {
        return address;
    }

    public int nthreads() {
        return nthreads;
    }

    /**
     * Adds resources found after the worker was made (a worker process's {@code NAME=auto}); only
     * before it has tasks. Waits for its loop.
     */
    public void addResources(Map<String, Double> more) {
        try {
            loop.call(() -> {
                state.addResources(more);
                resources = Map.copyOf(state.resources().total());
                return null;
            }).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The abstract resources this worker offers, e.g. {@code GPU=1.0}; empty if none. */
    public Map<String, Double> resources() {
        return resources;
    }

    // ---------------------------------------------------------------- from the scheduler

    @Override
    public void computeTasks(List<ComputeTask> tasks) {
        loop.runHereOrExecute(() -> {
            for (ComputeTask task : tasks) {
                state.computeTask(task);
            }
        });
    }

    @Override
    public void freeKeys(List<String> keys, String stimulusId) {
        loop.runHereOrExecute(() -> state.freeKeys(keys, stimulusId));
    }

    @Override
    public void control(List<SchedulerInstruction> instructions) {
        loop.execute(() -> {
            for (SchedulerInstruction i : instructions) {
                handleControl(i);
            }
        });
    }

    private void handleControl(SchedulerInstruction instruction) {
        if (instruction instanceof SchedulerInstruction.StealRequest r) {
            state.stealRequest(r.key(), r.stimulusId());
        } else if (instruction instanceof SchedulerInstruction.RestartWorker r) {
            restart(r.stimulusId());
        } else if (instruction instanceof SchedulerInstruction.AcquireReplicas a) {
            state.acquireReplicas(a.whoHas(), a.stimulusId());
        } else if (instruction instanceof SchedulerInstruction.CloseWorker c) {
            LOG.info("worker {} closing: {}", address, c.reason());
            onCloseRequest.accept(c.reason());
        } else {
            LOG.warn("worker {} ignores an instruction it does not know: {}", address, instruction);
        }
    }

    /**
     * The scheduler restarted: drop every task and result (runs under way are orphaned and their
     * results dropped when they return); plugins stay. Frees until nothing more goes, since a
     * result kept for a local dependent goes only once that dependent has.
     */
    private void restart(String stimulusId) {
        int before;
        do {
            before = state.tasks().size();
            state.freeKeys(new ArrayList<>(state.tasks().keySet()), stimulusId);
        } while (!state.tasks().isEmpty() && state.tasks().size() < before);
        LOG.info("worker {} restarted: {} tasks left (runs still returning)", address, state.tasks().size());
    }

    // ---------------------------------------------------------------- data

    /** Reads results held here, on this worker's loop; keys not held are absent from the map. */
    public void collect(Collection<String> keys, Consumer<Map<String, Object>> reply) {
        loop.runHereOrExecute(() -> { // the asking thread reads them itself if this loop is idle
            Map<String, Object> data = new HashMap<>(keys.size() * 2);
            for (String key : keys) {
                if (state.hasData(key)) {
                    data.put(key, state.data(key));
                }
            }
            reply.accept(data);
        });
    }

    // ---------------------------------------------------------------- plugins

    public CompletableFuture<Registration> addPlugin(WorkerPlugin plugin, PluginOptions options, PluginOrigin origin) {
        return loop.call(() -> {
            try {
                return plugins.add(plugin, options, origin);
            } catch (PluginStartException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    public CompletableFuture<Boolean> removePluginInstance(WorkerPlugin plugin) {
        return loop.call(() -> plugins.removeInstance(plugin));
    }

    /** With {@code awaitReplacement}, this worker holds the plugin's events for the next plugin of its name. */
    public CompletableFuture<Boolean> removePluginInstance(WorkerPlugin plugin, boolean awaitReplacement) {
        return loop.call(() -> plugins.removeInstance(plugin, awaitReplacement));
    }

    /** The plugin of this name will not come back: what is held for it is discarded. */
    public void dropHandover(String name) {
        loop.execute(() -> plugins.dropHandover(name));
    }

    public CompletableFuture<Void> removePlugin(String name) {
        return loop.call(() -> {
            plugins.remove(name);
            return null;
        });
    }

    public CompletableFuture<List<PluginStatus>> pluginStatus() {
        return loop.call(plugins::status);
    }

    /** New plugin-host settings (failure limit, slow-call threshold, handover limits), applied on this worker's loop. */
    public CompletableFuture<Void> reconfigurePlugins(PluginHostConfig config) {
        return loop.call(() -> {
            plugins.reconfigure(config);
            return null;
        });
    }

    /** Periodic upkeep of the plugins (every second): dropped events are reported. */
    public void pluginUpkeep() {
        loop.execute(() -> {
            long now = System.currentTimeMillis();
            plugins.reportDrops(now);
            plugins.expireHandovers(now);
        });
    }

    /** Runs a read-only query on this worker's loop thread. */
    public <T> CompletableFuture<T> query(Function<WorkerState, T> question) {
        return loop.call(() -> question.apply(state));
    }

    // ---------------------------------------------------------------- the loop's output

    private void flush() {
        List<WorkerInstruction> out = state.drainInstructions();
        if (out.isEmpty()) {
            return;
        }
        List<WorkerInstruction> toScheduler = null;
        for (WorkerInstruction i : out) {
            if (i instanceof WorkerInstruction.Execute e) {
                execute(e);
            } else if (i instanceof WorkerInstruction.GatherDep g) {
                gather(g);
            } else if (i instanceof WorkerInstruction.Rejoin r) {
                runtime.rejoined(r.key());
            } else {
                if (toScheduler == null) {
                    toScheduler = new ArrayList<>();
                }
                toScheduler.add(i);
            }
        }
        if (toScheduler != null) {
            // with nothing left to start here, the reporting thread may as well do the scheduler's
            // work itself (if its loop is idle) and so bring this worker its next tasks at once
            scheduler.reports(address, toScheduler, state.readyCount() == 0);
        }
    }

    private void execute(WorkerInstruction.Execute e) {
        executor.execute(() -> {
            long start = System.currentTimeMillis();
            try {
                Values.requireReadable(e.args(), "args"); // free until one was met
                Object value = runtime.run(e.key(), context -> functions.lookup(e.function()).apply(e.args(), context));
                long nbytes = resultSize.applyAsLong(value);
                long stop = System.currentTimeMillis();
                loop.runHereOrExecute(() -> state.executeSuccess(e.key(), value, nbytes, start, stop, "task-finished-" + e.key()));
            } catch (Exception | LinkageError | StackOverflowError failure) {
                long stop = System.currentTimeMillis();
                String text = failure.getClass().getName() + ": " + failure.getMessage();
                String traceback = traceback(failure);
                loop.runHereOrExecute(() -> state.executeFailure(e.key(), text, traceback, start, stop, "task-erred-" + e.key()));
            }
        });
    }

    private void gather(WorkerInstruction.GatherDep g) {
        long start = System.currentTimeMillis();
        peers.fetchSized(g.peer(), g.keys(),
                data -> loop.execute(() -> state.gatherDepSuccess(g.peer(), data.values(), data.nbytes(), start,
                        System.currentTimeMillis(), "gather-dep-success-" + g.stimulusId())),
                reason -> loop.execute(() -> state.gatherDepFailure(g.peer(), g.keys(), reason,
                        "gather-dep-failure-" + g.stimulusId())));
    }

    private static String traceback(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    private volatile ToLongFunction<Object> resultSize = value -> -1;

    /**
     * Checks every result as its task finishes, on the executor thread: what the check throws
     * errs the task (a local cluster refuses results that cannot cross processes this way). The
     * result's size is estimated.
     */
    public void checkResultsWith(Consumer<Object> check) {
        this.resultSize = value -> {
            check.accept(value);
            return -1;
        };
    }

    /**
     * Checks and measures every result as its task finishes, on the executor thread: what
     * {@code size} throws errs the task, what it returns is the result's {@code nbytes} (-1:
     * estimate it). A worker process encodes each result this way, so the scheduler weighs
     * transfers by the bytes that would travel.
     */
    public void sizeResultsWith(ToLongFunction<Object> size) {
        this.resultSize = size;
    }

    private volatile Consumer<String> onCloseRequest = reason -> LOG.warn(
            "worker {} was told to close ({}) but nothing closes it", address(), reason);
    private volatile ScheduledFuture<?> heartbeats;

    /** What to do when the scheduler tells this worker to close; called on this worker's loop. */
    public void onCloseRequest(Consumer<String> action) {
        this.onCloseRequest = action;
    }

    /**
     * Sends the scheduler a heartbeat every {@code intervalMillis}. It goes through this worker's
     * loop, so a worker whose loop is stuck stops heartbeating, as in Dask.
     */
    public void startHeartbeats(ScheduledExecutorService timer, long intervalMillis) {
        stopHeartbeats();
        heartbeats = timer.scheduleWithFixedDelay(() -> loop.execute(() -> scheduler.heartbeat(address)),
                0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** No more heartbeats (on close; tests use it to play a worker that went silent). */
    public void stopHeartbeats() {
        ScheduledFuture<?> running = heartbeats;
        if (running != null) {
            running.cancel(false);
        }
    }

    /** Tears the plugins down, then stops the loop and the executor. */
    @Override
    public void close() {
        stopHeartbeats();
        loop.call(() -> {
            plugins.closeAll();
            return null;
        }).orTimeout(CLOSE_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> {
            LOG.warn("closing the worker plugins did not finish within {} s; going on without them", CLOSE_TIMEOUT_SECONDS, e);
            return null;
        }).join();
        runtime.close();
        loop.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("worker {} closed", address);
    }

    /** Worker state callbacks → plugin events; nothing is built when no plugin listens. */
    private final class PluginEvents implements WorkerEvents {
        @Override
        public void transition(WorkerTask task, WorkerTaskState start, WorkerTaskState finish, String stimulusId) {
            if (plugins == null || plugins.isEmpty()) {
                return;
            }
            plugins.transition(new WorkerTransitionEvent(task.key(), start, finish, stimulusId, address, task.nbytes(),
                    task.startstops(), task.exceptionText(), task.traceback()));
        }

        @Override
        public void releaseKey(WorkerTask task, WorkerTaskState before, String cause, String reason, boolean report) {
            if (plugins == null || plugins.isEmpty()) {
                return;
            }
            plugins.releaseKey(new ReleaseKeyEvent(task.key(), before, cause, reason, report));
        }
    }
}
