package org.weft.scheduler.core.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.node.EventLoop;
import org.weft.node.SchedulerInstruction;
import org.weft.node.WorkerInstruction;
import org.weft.node.link.ClientLink;
import org.weft.node.link.WorkerLink;
import org.weft.plugin.api.LogEvent;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.PluginStartException;
import org.weft.pluginhost.PluginStatus;
import org.weft.pluginhost.Registration;
import org.weft.pluginhost.SchedulerPluginHost;
import org.weft.protocol.RetireOutcome;
import org.weft.protocol.TaskSpec;
import org.weft.scheduler.core.state.CancelOutcome;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.state.SchedulerState;
import org.weft.scheduler.core.state.TaskState;
import org.weft.scheduler.core.stealing.WorkStealing;

/**
 * The scheduler: its state machine, its plugin host, and the loop thread that owns both. Every
 * public method is thread-safe: it enqueues a stimulus. Output is batched per loop turn and sent
 * through {@link WorkerLink}s and {@link ClientLink}s.
 */
public final class SchedulerNode implements AutoCloseable {

    /** A plugin whose close or teardown hangs must not hang the shutdown. */
    private static final long CLOSE_TIMEOUT_SECONDS = 30;
    /** Dask balances every 100 ms. */
    private static final long STEAL_INTERVAL_MILLIS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerNode.class);

    private final EventLoop loop;
    private final SchedulerState state;
    private final SchedulerPluginHost plugins;
    private final Map<String, WorkerLink> workers = new HashMap<>();
    private final Map<String, ClientLink> clients = new HashMap<>();
    /** The ids of connected clients, claimed in the caller's thread so a second claim is refused at once. */
    private final Set<String> clientIds = ConcurrentHashMap.newKeySet();
    private final OutputBatch batch = new OutputBatch();
    private final AtomicLong stimulusSeq = new AtomicLong();

    public SchedulerNode(SchedulerConfig config, PluginHostConfig pluginConfig) {
        // A thread that finds the loop idle (a worker's executor reporting a result) may do the loop's
        // work itself: the loop is held exclusively either way, so plugins still see one stimulus at a
        // time, in order; it saves two thread wake-ups per task.
        this.loop = new EventLoop("weft-scheduler", this::flush, () -> true);
        PluginEventFeed feed = new PluginEventFeed();
        this.state = new SchedulerState(config, feed, System::currentTimeMillis, System::nanoTime);
        this.plugins = new SchedulerPluginHost(state, pluginConfig);
        feed.connect(plugins);
    }

    /** Starts the loop, then the built-in plugins the configuration turns on (work stealing). */
    public void start() {
        loop.start();
        if (state.config().workStealing()) {
            loop.call(() -> {
                startStealing(state.config());
                return null;
            }).join();
        }
    }

    private void startStealing(SchedulerConfig config) {
        try {
            plugins.add(new WorkStealing(STEAL_INTERVAL_MILLIS, config.bandwidth()), PluginOptions.named(WorkStealing.NAME),
                    PluginOrigin.BUILT_IN);
        } catch (PluginStartException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    /**
     * New settings for the running scheduler, applied on the loop between two stimuli (see
     * {@link SchedulerState#reconfigure}); the plugin host's limits change with them, and the
     * built-in work stealing is added, removed, or restarted with a new bandwidth as they say.
     */
    public CompletableFuture<Void> reconfigure(SchedulerConfig config, PluginHostConfig pluginConfig) {
        String sid = stimulus("reconfigure");
        return loop.call(() -> {
            SchedulerConfig before = state.config();
            state.reconfigure(config, sid);
            plugins.reconfigure(pluginConfig);
            // the built-in plugin, unless removed by hand (weft:plugin-remove stealing)
            boolean stealing = before.workStealing() && plugins.names().contains(WorkStealing.NAME);
            boolean restartStealing = stealing && config.workStealing() && before.bandwidth() != config.bandwidth();
            if (stealing && (!config.workStealing() || restartStealing)) {
                plugins.remove(WorkStealing.NAME);
            }
            if (!before.workStealing() && config.workStealing() || restartStealing) {
                startStealing(config);
            }
            return null;
        });
    }

    String stimulus(String kind) {
        return kind + "-" + stimulusSeq.incrementAndGet();
    }

    // ---------------------------------------------------------------- workers

    public CompletableFuture<Void> addWorker(WorkerLink link, int nthreads) {
        return addWorker(link, nthreads, Map.of());
    }

    /** A worker with abstract resources (e.g. {@code GPU=1.0}) joins. */
    public CompletableFuture<Void> addWorker(WorkerLink link, int nthreads, Map<String, Double> resources) {
        return addWorker(link, nthreads, resources, Set.of());
    }

    /** A worker joins that cannot run these task functions (depot bundles failed there). */
    public CompletableFuture<Void> addWorker(WorkerLink link, int nthreads, Map<String, Double> resources,
            Set<String> missingFunctions) {
        String sid = stimulus("add-worker");
        return loop.call(() -> {
            state.addWorker(link.address(), nthreads, resources, missingFunctions, sid);
            workers.put(link.address(), link);
            LOG.info("worker {} joined with {} threads", link.address(), nthreads);
            return null;
        });
    }

    /** The task functions this worker cannot run (its depot bundle failed there): it gets no task calling them. */
    public CompletableFuture<Void> setMissingFunctions(String address, Set<String> functions) {
        String sid = stimulus("missing-functions");
        return loop.call(() -> {
            state.setMissingFunctions(address, functions, sid);
            return null;
        });
    }

    public CompletableFuture<Boolean> removeWorker(String address) {
        String sid = stimulus("remove-worker");
        return loop.call(() -> {
            workers.remove(address);
            boolean known = state.removeWorker(address, sid);
            if (known) {
                LOG.info("worker {} left", address);
            }
            return known;
        });
    }

    /**
     * Results a worker reports: finished and erred tasks, missing data, steal answers, secedes.
     *
     * @param runHereIfIdle whether the calling thread may do the work itself if the loop is idle
     *        (a worker that has nothing else to start: it saves the round trip through the loop thread)
     */
    public void workerReports(String worker, List<WorkerInstruction> reports, boolean runHereIfIdle) {
        Runnable work = () -> {
            for (WorkerInstruction r : reports) {
                if (r instanceof WorkerInstruction.TaskFinishedMsg m) {
                    state.taskFinished(m.key(), worker, m.runId(), m.nbytes(), m.typeName(), m.startstops(), m.stimulusId());
                } else if (r instanceof WorkerInstruction.TaskErredMsg m) {
                    state.taskErred(m.key(), worker, m.runId(), m.exceptionText(), m.traceback(), m.startstops(),
                            m.stimulusId());
                } else if (r instanceof WorkerInstruction.MissingDataMsg m) {
                    state.missingData(m.key(), m.peer(), worker, m.stimulusId());
                } else if (r instanceof WorkerInstruction.StealResponseMsg m) {
                    state.stealResponse(m.key(), worker, m.state(), m.stimulusId());
                } else if (r instanceof WorkerInstruction.LongRunningMsg m) {
                    state.taskLongRunning(m.key(), worker, m.runId(), m.stimulusId());
                }
            }
        };
        if (runHereIfIdle) {
            loop.runHereOrExecute(work);
        } else {
            loop.execute(work);
        }
    }

    // ---------------------------------------------------------------- clients

    /**
     * Adds a client whose reports go to {@code link}.
     *
     * @throws DuplicateClientException if a connected client has that id (until its
     *         {@link #removeClient(String)} has run); nothing changes then
     */
    public CompletableFuture<Void> addClient(String client, ClientLink link) {
        if (!clientIds.add(client)) {
            throw new DuplicateClientException(client);
        }
        return loop.call(() -> {
            clients.put(client, link);
            state.addClient(client);
            state.noteClientActivity();
            LOG.info("client {} connected", client);
            return null;
        });
    }

    public void removeClient(String client) {
        String sid = stimulus("remove-client");
        loop.execute(() -> {
            state.removeClient(client, sid);
            state.noteClientActivity();
            clients.remove(client);
            clientIds.remove(client);
            LOG.info("client {} left", client);
        });
    }

    /** Fails with {@link IllegalArgumentException} if the graph is malformed; nothing changes then. */
    public CompletableFuture<Void> updateGraph(String client, List<TaskSpec> tasks, Set<String> wanted) {
        String sid = stimulus("update-graph");
        return loop.call(() -> {
            state.noteClientActivity();
            state.updateGraph(client, tasks, wanted, sid, System.currentTimeMillis());
            return null;
        });
    }

    public void releaseKeys(String client, Collection<String> keys) {
        String sid = stimulus("client-releases-keys");
        loop.execute(() -> {
            state.noteClientActivity();
            state.releaseKeys(client, keys, sid);
        });
    }

    /** For each key, a worker holding it; fails naming the first key that is not in memory. */
    public CompletableFuture<Map<String, String>> locate(Collection<String> keys) {
        return loop.call(() -> {
            state.noteClientActivity();
            Map<String, String> where = new LinkedHashMap<>();
            for (String key : keys) {
                TaskState ts = state.tasks().get(key);
                if (ts == null || ts.state() != SchedulerTaskState.MEMORY) {
                    throw new IllegalStateException("key '" + key + "' is not in memory ("
                            + (ts == null ? "unknown" : ts.state().label()) + ")");
                }
                where.put(key, ts.whoHas().iterator().next());
            }
            return where;
        });
    }

    // ---------------------------------------------------------------- control (cancel, restart, events)

    private final String id = "Scheduler-" + java.util.UUID.randomUUID();
    private final long startedMillis = System.currentTimeMillis();
    private final AtomicLong runSeq = new AtomicLong();

    /**
     * Cancels keys and their dependents for {@code client} (null: the shell), or for everyone with
     * {@code force}; see {@link SchedulerState#cancel}.
     */
    public CompletableFuture<CancelOutcome> cancel(String client, Collection<String> keys, boolean force) {
        String sid = stimulus("cancel");
        List<String> copy = List.copyOf(keys);
        return loop.call(() -> {
            CancelOutcome outcome = state.cancel(client, copy, force, System.currentTimeMillis(), sid);
            LOG.info("{} cancelled {} keys (force={}): {} cancelled, {} kept for other clients, {} unknown",
                    client == null ? "the shell" : "client " + client, copy.size(), force,
                    outcome.cancelled().size(), outcome.kept().size(), outcome.unknown().size());
            return outcome;
        });
    }

    /** Dask's {@code reschedule}: completes with whether the task was processing (on {@code worker}, if given). */
    public CompletableFuture<Boolean> reschedule(String key, String worker) {
        String sid = stimulus("reschedule");
        return loop.call(() -> state.reschedule(key, worker, sid));
    }

    /**
     * Clears all task state, then calls the plugins' {@code restart}; every worker is told to drop
     * what it holds before any later instruction reaches it.
     */
    public CompletableFuture<Void> restart(String client) {
        String sid = stimulus("restart");
        return loop.call(() -> {
            state.restart(client, System.currentTimeMillis(), sid);
            flush(); // workers reset before anything a later stimulus sends them
            LOG.info("scheduler restarted{}", client == null ? "" : " by client " + client);
            return null;
        });
    }

    /** Logs an event under each topic; fails with {@link IllegalArgumentException} for a bad topic or message. */
    public CompletableFuture<Void> logEvent(Collection<String> topics, Object message) {
        String sid = stimulus("log-event");
        List<String> copy = List.copyOf(topics);
        return loop.call(() -> {
            state.logEvent(copy, message, System.currentTimeMillis(), sid);
            return null;
        });
    }

    /** The kept events of one topic, oldest first. */
    public CompletableFuture<List<LogEvent>> events(String topic) {
        return loop.call(() -> state.events(topic));
    }

    /** Every topic with the number of events it got. */
    public CompletableFuture<Map<String, Long>> eventCounts() {
        return loop.call(state::eventCounts);
    }

    public CompletableFuture<Void> subscribeTopic(String client, String topic) {
        return loop.call(() -> {
            state.subscribeTopic(client, topic);
            return null;
        });
    }

    public CompletableFuture<Void> unsubscribeTopic(String client, String topic) {
        return loop.call(() -> {
            state.unsubscribeTopic(client, topic);
            return null;
        });
    }

    /**
     * Dask's {@code identity()}: type, id, address, version, start time, workers with their
     * threads, the number of clients, and tasks per state. JSON-able.
     */
    public CompletableFuture<Map<String, Object>> identity(String address) {
        return loop.call(() -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "Scheduler");
            out.put("id", id);
            out.put("address", address);
            out.put("version", version());
            out.put("started", startedMillis);
            out.putAll(state.identity());
            return out;
        });
    }

    /** This bundle's version (from the jar manifest), or {@code "unknown"} when run from classes. */
    static String version() {
        String v = SchedulerNode.class.getPackage().getImplementationVersion();
        if (v == null) {
            try (java.io.InputStream in = SchedulerNode.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
                if (in != null) {
                    v = new java.util.jar.Manifest(in).getMainAttributes().getValue("Bundle-Version");
                }
            } catch (java.io.IOException e) {
                LOG.debug("cannot read the manifest for the version", e);
            }
        }
        return v == null ? "unknown" : v;
    }

    /**
     * Dask's {@code run_on_scheduler}: runs a registered task function on the scheduler's loop
     * thread (as Dask runs a function on its event loop: keep it short) and completes with its
     * result, or with the exception it threw. A function that must wait (for worker processes)
     * returns a {@link java.util.concurrent.CompletionStage} instead, and the call completes with
     * what that completes with, without holding the loop meanwhile.
     */
    public CompletableFuture<Object> runOnScheduler(String name, org.weft.plugin.api.TaskFunction function,
            List<Object> args, String address) {
        String key = "run-on-scheduler-" + name + "-" + runSeq.incrementAndGet();
        return loop.<Object>call(() -> {
            try {
                return function.apply(args, new SchedulerContext(key, address));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }).thenCompose(result -> result instanceof java.util.concurrent.CompletionStage<?> later
                ? later.thenApply(value -> (Object) value) : CompletableFuture.completedFuture(result));
    }

    /** A function run on the scheduler holds no worker thread: secede and rejoin have nothing to do. */
    private record SchedulerContext(String key, String worker) implements org.weft.plugin.api.TaskContext {
        @Override
        public void secede() {
        }

        @Override
        public void rejoin() {
        }
    }


    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    /** Retire calls waiting for the outcome of each worker they named. */
    private final List<PendingRetirement> retirements = new ArrayList<>();

    /**
     * Retires these workers (see {@code SchedulerState.retireWorkers}); completes, in the order
     * asked, with each worker's outcome once all are decided.
     */
    public CompletableFuture<List<RetireOutcome>> retireWorkers(Collection<String> addresses) {
        String sid = stimulus("retire-workers");
        List<String> asked = List.copyOf(new java.util.LinkedHashSet<>(addresses));
        PendingRetirement pending = new PendingRetirement(asked);
        if (asked.isEmpty()) {
            pending.result.complete(List.of());
            return pending.result;
        }
        return loop.call(() -> {
            retirements.add(pending);
            state.retireWorkers(asked, sid);
            return null;
        }).thenCompose(v -> pending.result);
    }

    /** Dask's {@code workers_to_close}, after every plugin's {@code validWorkersDownscaling} in turn. */
    public CompletableFuture<List<String>> workersToClose(Integer n, Integer target) {
        return loop.call(() -> state.workersToClose(n, target, plugins::validWorkersDownscaling));
    }

    /** Dask's {@code adaptive_target}: how many workers the current work asks for. */
    public CompletableFuture<Integer> adaptiveTarget(long targetDurationMillis) {
        return loop.call(() -> state.adaptiveTarget(targetDurationMillis, plugins::validWorkersDownscaling));
    }

    /** A worker says it is alive. */
    public void workerHeartbeat(String worker) {
        loop.execute(() -> state.heartbeat(worker, System.currentTimeMillis()));
    }

    /** Removes the workers silent past the worker TTL; completes with their addresses. */
    public CompletableFuture<List<String>> checkWorkerTtl() {
        String sid = stimulus(SchedulerInstruction.CloseWorker.SILENCE_STIMULUS);
        return loop.call(() -> {
            List<String> removed = state.checkWorkerTtl(System.currentTimeMillis(), sid);
            for (String worker : removed) {
                LOG.warn("worker {} removed: no heartbeat within the worker TTL of {} ms", worker,
                        state.config().workerTtlMillis());
            }
            return removed;
        });
    }

    /** Whether the scheduler has been idle for its idle timeout (never, if none is set). */
    public CompletableFuture<Boolean> checkIdle() {
        return loop.call(() -> state.checkIdle(System.currentTimeMillis()));
    }

    /** After each loop turn's output: drop links of workers the state removed, answer retire calls. */
    private void afterOutput() {
        if (workers.size() != state.workers().size()) {
            workers.keySet().removeIf(address -> !state.workers().containsKey(address));
        }
        List<RetireOutcome> outcomes = state.drainRetireOutcomes();
        if (outcomes.isEmpty()) {
            return;
        }
        for (RetireOutcome o : outcomes) {
            LOG.info(o.retired() ? "worker {} retired; results moved: {}" : "worker {} not retired: {}", o.worker(),
                    o.retired() ? o.movedTo() : o.reason());
        }
        retirements.removeIf(pending -> pending.offer(outcomes));
    }

    private static final class PendingRetirement {
        final List<String> asked;
        final Map<String, RetireOutcome> decided = new HashMap<>();
        final CompletableFuture<List<RetireOutcome>> result = new CompletableFuture<>();

        PendingRetirement(List<String> asked) {
            this.asked = asked;
        }

        /** @return whether every worker asked about is now decided (and the result completed) */
        boolean offer(List<RetireOutcome> outcomes) {
            for (RetireOutcome o : outcomes) {
                if (asked.contains(o.worker())) {
                    decided.putIfAbsent(o.worker(), o);
                }
            }
            if (decided.size() < asked.size()) {
                return false;
            }
            List<RetireOutcome> ordered = new ArrayList<>(asked.size());
            for (String worker : asked) {
                ordered.add(decided.get(worker));
            }
            result.complete(ordered);
            return true;
        }
    }

    // ---------------------------------------------------------------- plugins and queries

    /** @throws java.util.concurrent.CompletionException wrapping {@link PluginStartException} if start() failed */
    public CompletableFuture<Registration> addPlugin(SchedulerPlugin plugin, PluginOptions options, PluginOrigin origin) {
        return loop.call(() -> {
            try {
                return plugins.add(plugin, options, origin);
            } catch (PluginStartException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    public CompletableFuture<Void> removePlugin(String name) {
        return loop.call(() -> {
            plugins.remove(name);
            return null;
        });
    }

    public void removePluginInstance(SchedulerPlugin plugin, boolean awaitReplacement) {
        loop.execute(() -> plugins.removeInstance(plugin, awaitReplacement));
    }

    public void dropHandover(String name) {
        loop.execute(() -> plugins.dropHandover(name));
    }

    /** Periodic upkeep of the plugins (every second): handovers that waited too long end, drops are reported. */
    public void pluginUpkeep() {
        loop.execute(() -> {
            long now = System.currentTimeMillis();
            plugins.expireHandovers(now);
            plugins.reportDrops(now);
        });
    }

    public CompletableFuture<List<PluginStatus>> pluginStatus() {
        return loop.call(plugins::status);
    }

    /** The scheduler loop's busy time so far ({@link EventLoop#busyNanos()}); any thread. */
    public long loopBusyNanos() {
        return loop.busyNanos();
    }

    /** Stimuli queued for the scheduler loop and not started yet; O(length), any thread. */
    public int loopQueueLength() {
        return loop.queueLength();
    }

    /** Runs a read-only query on the loop thread, e.g. for shell commands. */
    public <T> CompletableFuture<T> query(Function<SchedulerState, T> question) {
        return loop.call(() -> question.apply(state));
    }

    // ---------------------------------------------------------------- output

    private void flush() {
        List<SchedulerInstruction> out = state.drainInstructions();
        if (out.isEmpty()) {
            afterOutput();
            return;
        }
        batch.sort(out);
        // frees first: a task freed and sent again in one turn (reschedule) must not be freed after it was sent
        batch.free.forEach((worker, keys) -> {
            WorkerLink link = workers.get(worker);
            if (link != null) {
                link.freeKeys(keys, "free-keys");
            }
        });
        batch.compute.forEach((worker, tasks) -> {
            WorkerLink link = workers.get(worker);
            if (link != null) {
                link.computeTasks(tasks);
            }
        });
        batch.control.forEach((worker, messages) -> {
            WorkerLink link = workers.get(worker);
            if (link != null) {
                link.control(messages);
            }
        });
        batch.reports.forEach((client, reports) -> {
            ClientLink link = clients.get(client);
            if (link != null) {
                link.send(reports);
            }
        });
        batch.clear();
        afterOutput();
    }

    /** Closes the plugins (before-close, then close), then stops the loop. */
    @Override
    public void close() {
        loop.call(() -> {
            plugins.beforeClose();
            plugins.closeAll();
            return null;
        }).orTimeout(CLOSE_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> {
            LOG.warn("closing the scheduler plugins did not finish within {} s; going on without them", CLOSE_TIMEOUT_SECONDS, e);
            return null;
        }).join();
        loop.close();
    }

    /** Sorts one loop turn's instructions by destination. */
    private static final class OutputBatch {
        final Map<String, List<SchedulerInstruction.ComputeTask>> compute = new LinkedHashMap<>();
        final Map<String, List<String>> free = new LinkedHashMap<>();
        final Map<String, List<SchedulerInstruction>> control = new LinkedHashMap<>();
        final Map<String, List<SchedulerInstruction>> reports = new LinkedHashMap<>();

        void sort(List<SchedulerInstruction> out) {
            for (SchedulerInstruction i : out) {
                if (i instanceof SchedulerInstruction.ComputeTask c) {
                    compute.computeIfAbsent(c.worker(), w -> new ArrayList<>()).add(c);
                } else if (i instanceof SchedulerInstruction.FreeKeys f) {
                    free.computeIfAbsent(f.worker(), w -> new ArrayList<>()).addAll(f.keys());
                } else if (i instanceof SchedulerInstruction.ToWorker w) {
                    control.computeIfAbsent(w.worker(), x -> new ArrayList<>()).add(i);
                } else if (i instanceof SchedulerInstruction.ToClient r) {
                    reports.computeIfAbsent(r.client(), c -> new ArrayList<>()).add(i);
                } else {
                    throw new IllegalStateException("instruction with no destination: " + i);
                }
            }
        }

        void clear() {
            compute.clear();
            free.clear();
            control.clear();
            reports.clear();
        }
    }
}
