package org.weft.scheduler.core.state;

import static org.weft.plugin.api.SchedulerTaskState.ERRED;
import static org.weft.plugin.api.SchedulerTaskState.FORGOTTEN;
import static org.weft.plugin.api.SchedulerTaskState.MEMORY;
import static org.weft.plugin.api.SchedulerTaskState.NO_WORKER;
import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;
import static org.weft.plugin.api.SchedulerTaskState.RELEASED;
import static org.weft.plugin.api.SchedulerTaskState.WAITING;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.node.SchedulerInstruction;
import org.weft.node.TransitionLog;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TransitionRecord;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.protocol.TaskSpec;

/**
 * The scheduler's state machine: pure, single-threaded, no I/O.
 *
 * <p>A stimulus (a graph submitted, a task finished or erred, a worker or client joining or
 * leaving) goes in; {@link SchedulerInstruction}s accumulate in an outbox the loop drains and
 * performs. Transitions follow the explicit table in {@link SchedulerTransitions}; recommendations
 * are processed until none are left, as in Dask. Each elementary transition is logged and reported
 * to {@link SchedulerEvents} after it was applied.
 */
public final class SchedulerState implements SchedulerView {

    final Map<String, TaskState> tasks = new HashMap<>();
    final Map<String, WorkerRecord> workers = new LinkedHashMap<>();
    /**
     * The connected clients. What each wants is on the tasks ({@link TaskState#whoWants}), not in a
     * set per client as Dask keeps it: that set held an entry per wanted task (a million for a
     * million-task graph, each copied by the garbage collector like the task), and only a client
     * leaving needs it, which {@link #wantedBy} finds by a scan.
     */
    final Set<String> clients = new LinkedHashSet<>();
    final Set<TaskState> unrunnable = new LinkedHashSet<>();
    /** How many workers lack some task function (see {@link #setMissingFunctions}); 0 in the common case. */
    int workersLackingFunctions;
    /** Root-ish tasks waiting for a worker slot, best priority first. */
    final TaskQueue queued = new TaskQueue();
    final Map<String, TaskGroup> groups = new HashMap<>();
    final Placement placement = new Placement(this);
    private final Set<String> idleView = Collections.unmodifiableSet(placement.idle.keySet());
    private final Set<String> saturatedView = Collections.unmodifiableSet(placement.saturated.keySet());
    final Steals steals = new Steals(this);
    /** Changed only by {@link #reconfigure}, between two stimuli. */
    SchedulerConfig config;
    final SchedulerEvents events;
    TransitionLog log;
    final SchedulerTransitions edges;

    private final Map<String, TaskState> tasksView = Collections.unmodifiableMap(tasks);
    private final Map<String, WorkerRecord> workersView = Collections.unmodifiableMap(workers);
    private final Set<String> clientsView = Collections.unmodifiableSet(clients);
    private final Recommendations recommendations = new Recommendations();
    /** Keys to free per worker address, gathered during one stimulus; one FreeKeys each at its end. */
    private final Map<String, List<String>> toFree = new LinkedHashMap<>();
    List<SchedulerInstruction> outbox = new ArrayList<>();
    WorkerRecord[] workerArray = new WorkerRecord[0];
    String stimulusId = "init";
    /** The time of the current stimulus, read from {@link #clock} once when it begins; stamps the story. */
    long stimulusMillis;
    private final java.util.function.LongSupplier clock;
    /** The time of the current stimulus in nanoseconds, read from {@link #nanoClock} when it begins. */
    long stimulusNanos;
    private final java.util.function.LongSupplier nanoClock;
    private long generation;
    /** Run ids handed out so far: each compute message gets the next. */
    long runs;
    private long lastGraphMillis = Long.MIN_VALUE;

    static final java.util.Comparator<TaskState> BY_PRIORITY = (a, b) -> {
        int c = a.comparePriority(b);
        return c != 0 ? c : a.key.compareTo(b.key);
    };
    // ---- scaling (retire, heartbeats, idle)
    final Retirement retirement = new Retirement(this);
    private final WorkerHealth health = new WorkerHealth();
    private final IdleWatch idle = new IdleWatch();

    /** A state whose story is stamped with time 0 (tests, benchmarks); see the three-argument constructor. */
    public SchedulerState(SchedulerConfig config, SchedulerEvents events) {
        this(config, events, () -> 0L);
    }

    /**
     * @param clockMillis the time in milliseconds, read once at the start of each stimulus to stamp
     *        the transitions it causes: the state never reads the system clock itself, so a test or
     *        a replay gives it the time it wants
     */
    public SchedulerState(SchedulerConfig config, SchedulerEvents events, java.util.function.LongSupplier clockMillis) {
        this(config, events, clockMillis, () -> clockMillis.getAsLong() * 1_000_000L);
    }

    /**
     * @param clockMillis as in {@link #SchedulerState(SchedulerConfig, SchedulerEvents, java.util.function.LongSupplier)}
     * @param clockNanos a finer clock in nanoseconds (e.g. {@code System::nanoTime}), read once at the start of each
     *        stimulus as well: the round trips to the workers are measured with it (see {@code Placement#slots})
     */
    public SchedulerState(SchedulerConfig config, SchedulerEvents events, java.util.function.LongSupplier clockMillis,
            java.util.function.LongSupplier clockNanos) {
        this.clock = clockMillis;
        this.nanoClock = clockNanos;
        this.config = config;
        this.events = events == null ? SchedulerEvents.NONE : events;
        this.log = new TransitionLog(config.storyCapacity());
        this.edges = new SchedulerTransitions(this);
    }

    // ---------------------------------------------------------------- stimuli: clients

    public void addClient(String client) {
        if (clients.add(client)) {
            events.clientAdded(client);
        }
    }

    /** The client left: everything it wanted is released. */
    public void removeClient(String client, String stimulusId) {
        if (!clients.contains(client)) {
            return;
        }
        List<String> keys = new ArrayList<>();
        for (TaskState ts : wantedBy(client)) {
            keys.add(ts.key);
        }
        releaseKeys(client, keys, stimulusId);
        clients.remove(client);
        topicLog.unsubscribeAll(client);
        events.clientRemoved(client);
    }

    /** {@link #updateGraph(String, List, Set, String, long)} at the time of the previous graph. */
    public void updateGraph(String client, List<TaskSpec> specs, Set<String> wanted, String stimulusId) {
        updateGraph(client, specs, wanted, stimulusId, lastGraphMillis == Long.MIN_VALUE ? 0 : lastGraphMillis);
    }

    /**
     * A client submits tasks and the keys it wants. New tasks are ordered by user priority, then
     * submission generation (graphs more than {@code fifoTimeout} apart run oldest first), then
     * their position in this graph.
     *
     * @param nowMillis when the graph arrived (for {@code fifoTimeout})
     * @throws IllegalArgumentException if the graph is malformed or the client unknown; nothing changes then
     */
    public void updateGraph(String client, List<TaskSpec> specs, Set<String> wanted, String stimulusId,
            long nowMillis) {
        if (!clients.contains(client)) {
            throw new IllegalArgumentException("unknown client '" + client + "'");
        }
        GraphCheck.check(specs, wanted, tasks);
        begin(stimulusId);
        if (lastGraphMillis == Long.MIN_VALUE || nowMillis - lastGraphMillis > config.fifoTimeoutMillis()) {
            generation++;
            lastGraphMillis = nowMillis;
        }
        List<TaskState> created = new ArrayList<>(specs.size());
        List<TaskSpec> createdSpecs = new ArrayList<>(specs.size());
        long order = 0;
        TaskGroup group = null;
        for (TaskSpec spec : specs) {
            if (!tasks.containsKey(spec.key())) {
                group = groupOf(spec.key(), group);
                TaskState ts = new TaskState(spec, spec.priority(), generation, order++, group);
                group.size++;
                group.byState[ts.state.ordinal()]++;
                tasks.put(ts.key, ts);
                created.add(ts);
                createdSpecs.add(spec);
            }
        }
        for (int i = 0; i < created.size(); i++) {
            TaskState ts = created.get(i);
            for (String dep : createdSpecs.get(i).dependencies()) {
                TaskState dts = tasks.get(dep);
                ts.addDependency(dts);
                dts.addDependent(ts);
                if (dts.group != ts.group) {
                    ts.group.dependencies.add(dts.group);
                }
            }
        }
        Set<String> sole = Set.of(client); // shared by the tasks of this graph only this client wants
        for (String key : wanted) {
            TaskState ts = tasks.get(key);
            ts.addWanter(client, sole);
        }
        // best priority first, so a queue or a worker sees the most urgent tasks first (already sorted unless
        // the graph gives user priorities)
        created.sort(BY_PRIORITY);
        events.graphUpdated(client, wanted, created, stimulusId);
        for (TaskState ts : created) {
            recommendations.put(ts, WAITING);
        }
        for (String key : wanted) {
            TaskState ts = tasks.get(key);
            if (ts.state == MEMORY) {
                outbox.add(new SchedulerInstruction.ReportMemory(client, key));
            } else if (ts.state == ERRED) {
                outbox.add(erredReport(client, ts));
            } else if (ts.state == RELEASED) {
                recommendations.put(ts, WAITING);
            }
        }
        finish();
    }

    /** The task group of {@code key}; {@code last} (the previous key's, or null) is reused when it matches. */
    private TaskGroup groupOf(String key, TaskGroup last) {
        int length = TaskState.keyPrefixLength(key);
        if (last != null && last.name.length() == length && key.startsWith(last.name)) {
            return last;
        }
        return groups.computeIfAbsent(key.substring(0, length), TaskGroup::new);
    }

    /** The client no longer wants these keys; unknown keys are ignored. */
    public void releaseKeys(String client, Collection<String> keys, String stimulusId) {
        if (!clients.contains(client)) {
            return;
        }
        begin(stimulusId);
        for (String key : keys) {
            TaskState ts = tasks.get(key);
            if (ts == null || !ts.removeWanter(client)) {
                continue;
            }
            // as Dask's _client_releases_keys: a key nothing depends on is forgotten straight away (a result
            // goes memory -> forgotten); one with dependents is released unless they still wait for it, and
            // an erred one stays while erred dependents still blame it
            if (!ts.whoWants.isEmpty()) {
                continue;
            }
            if (ts.dependents.isEmpty()) {
                recommendations.put(ts, FORGOTTEN);
            } else if (ts.waiters.isEmpty() && ts.state != RELEASED && ts.state != ERRED) {
                recommendations.put(ts, RELEASED);
            }
        }
        finish();
    }

    // ---------------------------------------------------------------- stimuli: workers

    /** A worker with no abstract resources joined; see {@link #addWorker(String, int, Map, String)}. */
    public void addWorker(String address, int nthreads, String stimulusId) {
        addWorker(address, nthreads, Map.of(), stimulusId);
    }

    /**
     * A worker joined, offering {@code resources} (e.g. GPU=1). Called before it is given work:
     * tasks that had no worker move on, and queued tasks fill its slots.
     */
    public void addWorker(String address, int nthreads, Map<String, Double> resources, String stimulusId) {
        addWorker(address, nthreads, resources, Set.of(), stimulusId);
    }

    /** As {@link #addWorker(String, int, Map, String)}, for a worker that cannot run these task functions. */
    public void addWorker(String address, int nthreads, Map<String, Double> resources, Set<String> missingFunctions,
            String stimulusId) {
        if (workers.containsKey(address)) {
            throw new IllegalArgumentException("worker '" + address + "' is already connected");
        }
        if (nthreads < 1) {
            throw new IllegalArgumentException("worker '" + address + "' must have at least one thread");
        }
        begin(stimulusId);
        WorkerRecord ws = new WorkerRecord(address, nthreads, resources);
        if (!missingFunctions.isEmpty()) {
            ws.missingFunctions = Set.copyOf(missingFunctions);
            workersLackingFunctions++;
        }
        workers.put(address, ws);
        refreshRunningWorkers();
        placement.workerAdded(ws);
        events.workerAdded(ws, stimulusId);
        for (TaskState ts : unrunnable) {
            recommendations.put(ts, PROCESSING);
        }
        finish();
    }

    /**
     * The task functions this worker cannot run (a depot bundle providing them failed there): it gets
     * no task calling them from now on; tasks that no worker could run until now are placed again.
     */
    public void setMissingFunctions(String address, Set<String> functions, String stimulusId) {
        WorkerRecord ws = workers.get(address);
        if (ws == null || ws.missingFunctions.equals(functions)) {
            return;
        }
        begin(stimulusId);
        ws.missingFunctions = Set.copyOf(functions);
        workersLackingFunctions = 0;
        for (WorkerRecord w : workerArray) {
            if (!w.missingFunctions.isEmpty()) {
                workersLackingFunctions++;
            }
        }
        for (TaskState ts : unrunnable) {
            recommendations.put(ts, PROCESSING);
        }
        finish();
    }

    /** Whether some worker cannot run tasks calling {@code function}. */
    boolean someWorkerLacks(String function) {
        if (workersLackingFunctions == 0) {
            return false;
        }
        for (WorkerRecord w : workerArray) {
            if (!w.runs(function)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A worker left or was lost. Its processing tasks are rescheduled (or err with KilledWorker
     * past {@code allowedFailures}); results only it held are recomputed if still needed.
     *
     * @return whether the worker was known
     */
    public boolean removeWorker(String address, String stimulusId) {
        WorkerRecord ws = workers.get(address);
        if (ws == null) {
            return false;
        }
        begin(stimulusId);
        dropWorker(ws, false);
        finish();
        events.workerRemoved(ws, stimulusId);
        return true;
    }

    /**
     * Forgets a worker: its processing tasks are rescheduled (counted as suspicious unless the
     * departure was {@code expected}, as for a retired worker), its results dropped from who-has.
     */
    void dropWorker(WorkerRecord ws, boolean expected) {
        workers.remove(ws.address);
        if (!ws.missingFunctions.isEmpty()) {
            workersLackingFunctions--;
        }
        health.forget(ws.address);
        refreshRunningWorkers();
        placement.workerRemoved(ws);
        for (TaskState ts : new ArrayList<>(ws.processing)) {
            if (!expected) {
                ts.suspicious++;
            }
            if (ts.suspicious > config.allowedFailures()) {
                ts.exceptionText = "KilledWorker: attempted to run task '" + ts.key + "' on " + ts.suspicious
                        + " different workers, but all those workers died while running it; the last was " + ws.address;
                ts.traceback = null;
                ts.exceptionBlame = ts;
                recommendations.put(ts, ERRED);
            } else {
                recommendations.put(ts, WAITING);
            }
        }
        for (TaskState ts : new ArrayList<>(ws.hasWhat)) {
            ts.removeHolder(ws);
            ws.hasWhat.remove(ts);
            if (ts.whoHas.isEmpty()) {
                recommendations.put(ts, RELEASED);
            }
        }
        ws.nbytes = 0;
    }

    // ---------------------------------------------------------------- stimuli: task results

    /** {@link #taskFinished(String, String, long, long, String, List, String)} of a report with no run id. */
    public void taskFinished(String key, String worker, long nbytes, String typeName, List<Startstop> startstops,
            String stimulusId) {
        taskFinished(key, worker, 0, nbytes, typeName, startstops, stimulusId);
    }

    /**
     * A worker finished a task. Stale reports (the task released meanwhile, or in memory elsewhere
     * and not asked of this worker as a replica) make the worker drop the result: a report that
     * crossed the scheduler's free-keys would otherwise name a holder that no longer holds it. A
     * report of an earlier run of a task now processing again on the same worker (its
     * {@code runId} is not the latest compute's) is ignored: that worker dropped the earlier
     * result before it took the new compute, and the new run will answer for itself.
     *
     * @param runId the run id of the compute message the worker answers (0: not known, taken as current)
     */
    public void taskFinished(String key, String worker, long runId, long nbytes, String typeName,
            List<Startstop> startstops, String stimulusId) {
        TaskState ts = tasks.get(key);
        WorkerRecord ws = workers.get(worker);
        if (ws == null || ts != null && ts.state == PROCESSING && ts.processingOn == ws && isStale(ts, runId)) {
            return;
        }
        begin(stimulusId);
        if (ts != null && ts.state == PROCESSING && ts.processingOn == ws) {
            ts.nbytes = nbytes;
            ts.typeName = typeName;
            ts.startstops = startstops == null ? List.of() : startstops;
            recommendations.put(ts, MEMORY);
        } else if (ts != null && ts.state == MEMORY && !ts.whoHas.contains(ws) && retirement.replicaAsked(ts, ws)) {
            ts.addHolder(ws);
            ws.hasWhat.add(ts);
            ws.nbytes += Math.max(0, nbytes);
        } else if (ts == null || !ts.whoHas.contains(ws)) {
            if (ts != null && ts.state == WAITING) {
                recommendations.put(ts, MEMORY); // taken back from that worker: keeps waiting (waiting -> memory)
            }
            freeKey(ws, key);
        }
        finish();
        if (ts != null) {
            ts.startstops = List.of(); // the report's, not the task's (see the field)
        }
    }

    /** {@link #taskErred(String, String, long, String, String, List, String)} of a report with no run id. */
    public void taskErred(String key, String worker, String exceptionText, String traceback,
            List<Startstop> startstops, String stimulusId) {
        taskErred(key, worker, 0, exceptionText, traceback, startstops, stimulusId);
    }

    /**
     * A worker's task failed. With retries left it goes back to waiting, else it errs and so do its
     * dependents. A report of an earlier run (see {@link #taskFinished(String, String, long, long,
     * String, List, String)}) is ignored.
     */
    public void taskErred(String key, String worker, long runId, String exceptionText, String traceback,
            List<Startstop> startstops, String stimulusId) {
        TaskState ts = tasks.get(key);
        WorkerRecord ws = workers.get(worker);
        if (ts == null || ws == null || ts.state != PROCESSING || ts.processingOn != ws || isStale(ts, runId)) {
            return;
        }
        begin(stimulusId);
        ts.startstops = startstops == null ? List.of() : startstops;
        if (ts.retries > 0) {
            ts.retries--;
            recommendations.put(ts, WAITING);
        } else {
            ts.exceptionText = exceptionText;
            ts.traceback = traceback;
            ts.exceptionBlame = ts;
            recommendations.put(ts, ERRED);
        }
        finish();
        ts.startstops = List.of(); // the report's, not the task's (see the field)
    }

    /** Whether a worker's answer about {@code ts} is for an earlier run than the latest compute sent. */
    private static boolean isStale(TaskState ts, long runId) {
        return runId != 0 && runId != ts.runId;
    }

    /**
     * A worker could not find {@code key} on {@code holder}. The holder no longer counts as having
     * it, and the reporting worker's tasks that needed it are rescheduled.
     */
    public void missingData(String key, String holder, String reporter, String stimulusId) {
        TaskState ts = tasks.get(key);
        if (ts == null) {
            return;
        }
        begin(stimulusId);
        WorkerRecord ws = workers.get(holder);
        if (ws != null && ts.removeHolder(ws)) {
            ws.hasWhat.remove(ts);
            ws.nbytes -= Math.max(0, ts.nbytes);
        }
        if (ts.state == MEMORY && ts.whoHas.isEmpty()) {
            recommendations.put(ts, RELEASED);
        }
        for (TaskState dts : ts.dependents) {
            if (dts.state == PROCESSING && dts.processingOn != null && dts.processingOn.address.equals(reporter)) {
                recommendations.put(dts, WAITING);
            }
        }
        finish();
    }

    // ---------------------------------------------------------------- stimuli: stealing

    /**
     * Asks the worker processing {@code key} to hand it over so it can run on {@code thief}.
     * Ignored unless the task is processing elsewhere, not being moved already, and the thief
     * may run it.
     */
    public void stealRequest(String key, String thief, String stimulusId) {
        begin(stimulusId);
        steals.request(key, thief);
        finish();
    }

    /**
     * The victim's answer to a steal request. A task still waiting, ready or constrained there has
     * been released by the victim: it moves to the thief (no transition: it stays processing, as in
     * Dask). Any other answer means it started or finished; the steal is dropped.
     *
     * @param stimulusId the stimulus id of the steal request answered (the victim echoes it); an
     *        answer to an earlier request of the same task is stale and ignored
     */
    public void stealResponse(String key, String victim, WorkerTaskState stateThere, String stimulusId) {
        WorkerRecord thief = steals.answered(key, stimulusId);
        if (thief == null) {
            return;
        }
        begin(stimulusId);
        steals.apply(tasks.get(key), thief, victim, stateThere);
        finish();
    }

    @Override
    public boolean stealTask(String key, String thief) {
        return steals.request(key, thief);
    }

    /** {@link #taskLongRunning(String, String, long, String)} of a report with no run id. */
    public void taskLongRunning(String key, String worker, String stimulusId) {
        taskLongRunning(key, worker, 0, stimulusId);
    }

    /**
     * A task seceded from its worker's thread pool (long-running): it no longer takes a slot there.
     * A report of an earlier run (see {@link #taskFinished(String, String, long, long, String, List,
     * String)}) is ignored: the current run still holds its thread.
     */
    public void taskLongRunning(String key, String worker, long runId, String stimulusId) {
        TaskState ts = tasks.get(key);
        if (ts == null || ts.state != PROCESSING || !ts.processingOn.address.equals(worker) || isStale(ts, runId)) {
            return;
        }
        begin(stimulusId);
        placement.longRunning(ts);
        finish();
    }

    // ---------------------------------------------------------------- stimuli: control (cancel, reschedule, restart, events)

    private final Cancellation cancellation = new Cancellation(this);
    private final Restart restarting = new Restart(this);
    private final TopicLog topicLog = new TopicLog(TopicLog.DEFAULT_CAPACITY);

    /**
     * Cancels keys and their dependents for {@code client}, or for every client with {@code force};
     * see {@link Cancellation}. Logs a {@code cancel} event under {@code all} (and the client's id).
     *
     * @param client the cancelling client, or null for the shell (no client of its own)
     * @return which keys were cancelled, kept for other clients, or unknown
     */
    public CancelOutcome cancel(String client, Collection<String> keys, boolean force, long nowMillis,
            String stimulusId) {
        if (client != null && !clients.contains(client)) {
            throw new IllegalArgumentException("unknown client '" + client + "'");
        }
        begin(stimulusId);
        CancelOutcome outcome = cancellation.cancel(client, keys, force);
        finish();
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("action", "cancel");
        msg.put("client", client);
        msg.put("keys", outcome.cancelled().size());
        msg.put("force", force);
        logEvent(client == null ? List.of("all") : List.of("all", client), msg, nowMillis, stimulusId);
        return outcome;
    }

    /**
     * Dask's {@code Scheduler.reschedule}: a task processing (on {@code worker}, if given) goes back
     * to waiting and is sent again; the worker it was on is told to drop it.
     *
     * @return whether the task was processing (there) and was rescheduled
     */
    public boolean reschedule(String key, String worker, String stimulusId) {
        TaskState ts = tasks.get(key);
        if (ts == null || ts.state != PROCESSING || (worker != null && !ts.processingOn.address.equals(worker))) {
            return false;
        }
        begin(stimulusId);
        recommendations.put(ts, WAITING);
        finish();
        return true;
    }

    /**
     * Clears all task state: clients are told every key they wanted is gone (reason
     * {@code restart}), every task leaves through released to forgotten, each worker is told to
     * drop what it holds ({@link SchedulerInstruction.RestartWorker}), and only then
     * {@link SchedulerEvents#restarted} fires. Workers, clients and the event log stay.
     *
     * @param client the client that asked, or null
     */
    public void restart(String client, long nowMillis, String stimulusId) {
        begin(stimulusId);
        restarting.releaseAll();
        finish();
        restarting.dropLeftovers();
        for (WorkerRecord ws : workers.values()) {
            outbox.add(new SchedulerInstruction.RestartWorker(ws.address, stimulusId));
        }
        if (config.validate()) {
            SchedulerInvariants.check(this);
        }
        events.restarted(stimulusId);
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("action", "restart");
        msg.put("client", client);
        logEvent(client == null ? List.of("all") : List.of("all", client), msg, nowMillis, stimulusId);
    }

    /**
     * Dask's {@code log_event}: records {@code message} under each topic (bounded per topic), tells
     * plugins once per topic, and pushes it to the clients subscribed to that topic.
     *
     * @param message a JSON-able value: null, string, number, boolean, or a list or map of those
     * @throws IllegalArgumentException for no topic, a blank topic, or a message that is not JSON-able
     */
    public void logEvent(Collection<String> topics, Object message, long nowMillis, String stimulusId) {
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("an event needs at least one topic");
        }
        for (String topic : topics) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("an event topic must not be empty");
            }
        }
        TopicLog.requireJsonable(message);
        begin(stimulusId);
        for (String topic : new LinkedHashSet<>(topics)) {
            org.weft.plugin.api.LogEvent event = new org.weft.plugin.api.LogEvent(topic, message, nowMillis);
            topicLog.add(event);
            events.eventLogged(event);
            for (String client : topicLog.subscribers(topic)) {
                outbox.add(new SchedulerInstruction.ReportEvent(client, topic, message, nowMillis));
            }
        }
    }

    /** The events kept for {@code topic}, oldest first (at most {@value TopicLog#DEFAULT_CAPACITY}). */
    public List<org.weft.plugin.api.LogEvent> events(String topic) {
        return topicLog.events(topic);
    }

    /** Every topic logged to, sorted, with how many events it got since start. */
    public Map<String, Long> eventCounts() {
        return topicLog.counts();
    }

    /** From now on, events under {@code topic} are pushed to {@code client}. */
    public void subscribeTopic(String client, String topic) {
        if (!clients.contains(client)) {
            throw new IllegalArgumentException("unknown client '" + client + "'");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("an event topic must not be empty");
        }
        topicLog.subscribe(client, topic);
    }

    public void unsubscribeTopic(String client, String topic) {
        topicLog.unsubscribe(client, topic);
    }

    /**
     * The state part of Dask's {@code identity()}: workers (threads, tasks processing, results held,
     * bytes), the number of clients, and tasks per state. JSON-able.
     */
    public Map<String, Object> identity() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> ws = new LinkedHashMap<>();
        for (WorkerRecord w : workers.values()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("nthreads", w.nthreads);
            one.put("processing", w.processing.size());
            one.put("in-memory", w.hasWhat.size());
            one.put("nbytes", w.nbytes);
            ws.put(w.address, one);
        }
        out.put("workers", ws);
        out.put("clients", clients.size());
        Map<String, Object> byState = new LinkedHashMap<>();
        countByState().forEach((state, n) -> byState.put(state.label(), n));
        out.put("tasks", byState);
        out.put("total-tasks", tasks.size());
        return out;
    }


    // ---------------------------------------------------------------- stimuli: scaling (retire, heartbeats, idle)

    /**
     * Starts retiring these workers (see {@link Retirement}): they get no new tasks, their unique
     * results are copied to running workers, then they are told to close and removed. The outcome
     * of each arrives in {@link #drainRetireOutcomes()}, at once for an unknown worker or one
     * whose data has nowhere to go.
     */
    public void retireWorkers(Collection<String> addresses, String stimulusId) {
        begin(stimulusId);
        retirement.start(addresses);
        finish();
    }

    /** The retirements decided (retired, or not and why) since the last call. */
    public List<org.weft.protocol.RetireOutcome> drainRetireOutcomes() {
        return retirement.drainOutcomes();
    }

    /**
     * The workers cheapest to close (see {@link WorkersToClose}), after {@code filter}: the
     * plugins' {@code validWorkersDownscaling}, each in turn. {@code n} and {@code target} may be null.
     */
    public List<String> workersToClose(Integer n, Integer target, java.util.function.UnaryOperator<Set<String>> filter) {
        return WorkersToClose.choose(this, n, target, filter);
    }

    /** How many workers the current work asks for (see {@link AdaptiveTarget}). */
    public int adaptiveTarget(long targetDurationMillis, java.util.function.UnaryOperator<Set<String>> filter) {
        return AdaptiveTarget.compute(this, targetDurationMillis, filter);
    }

    public SchedulerConfig config() {
        return config;
    }

    /**
     * New settings, applied between two stimuli: each is read where it is used, so this takes
     * effect at once. The story log keeps its most recent transitions that fit; queued tasks get
     * the worker slots a larger saturation opens (all of them, with queuing off).
     */
    public void reconfigure(SchedulerConfig next, String stimulusId) {
        begin(stimulusId);
        config = next;
        if (next.storyCapacity() != log.capacity()) {
            log = log.resized(next.storyCapacity());
        }
        placement.slotsMaybeOpened = true;
        finish();
    }

    /** A worker says it is alive. Unknown workers are ignored. */
    public void heartbeat(String address, long nowMillis) {
        if (workers.containsKey(address)) {
            health.heartbeat(address, nowMillis);
        }
    }

    /**
     * Removes every worker not heard from for longer than the worker TTL (no-op when it is 0), as
     * a lost worker: its tasks are rescheduled. Each is also told to close.
     *
     * @return the addresses removed
     */
    public List<String> checkWorkerTtl(long nowMillis, String stimulusId) {
        long ttl = config.workerTtlMillis();
        if (ttl <= 0 || workers.isEmpty()) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        for (WorkerRecord ws : health.silent(workers.values(), nowMillis, ttl)) {
            String reason = "no heartbeat for " + health.silentFor(ws.address, nowMillis) + " ms (worker TTL "
                    + ttl + " ms)";
            outbox.add(new SchedulerInstruction.CloseWorker(ws.address, reason, stimulusId));
            removeWorker(ws.address, stimulusId);
            removed.add(ws.address);
        }
        return removed;
    }

    /** A client did something (connected, left, submitted, released, gathered): the scheduler is not idle. */
    public void noteClientActivity() {
        idle.clientActivity();
    }

    /**
     * Whether the scheduler should close itself: an idle timeout is set and, for all of it, no task
     * was processing or waiting for a worker, no transition happened and no client was active.
     */
    public boolean checkIdle(long nowMillis) {
        long timeout = config.idleTimeoutMillis();
        if (timeout <= 0) {
            return false;
        }
        boolean busy = !unrunnable.isEmpty() || !queued.isEmpty() || retirement.active();
        for (WorkerRecord ws : workers.values()) {
            busy |= !ws.processing.isEmpty();
        }
        return idle.check(nowMillis, timeout, log.total(), busy);
    }

    /** The workers that may be given new tasks: all but those closing gracefully. */
    void refreshRunningWorkers() {
        List<WorkerRecord> running = new ArrayList<>(workers.size());
        for (WorkerRecord ws : workers.values()) {
            if (!ws.closingGracefully) {
                running.add(ws);
            }
        }
        workerArray = running.toArray(new WorkerRecord[0]);
    }

    /** Tasks waiting for a worker try again (a worker became available). */
    void recommendUnrunnable() {
        for (TaskState ts : unrunnable) {
            recommendations.put(ts, PROCESSING);
        }
    }

    // ---------------------------------------------------------------- the transition engine

    private void begin(String stimulusId) {
        this.stimulusId = stimulusId;
        this.stimulusMillis = clock.getAsLong();
        this.stimulusNanos = nanoClock.getAsLong();
    }

    /**
     * Processes recommendations until none are left, fills worker slots that opened with queued
     * tasks (Dask's {@code stimulus_queue_slots_maybe_opened}), sends the steal requests plugins
     * asked for, then validates if configured.
     */
    private void finish() {
        do {
            while (!recommendations.isEmpty()) {
                TaskState next = recommendations.poll();
                transition(next, Recommendations.takeTarget(next));
            }
            fillQueueSlots();
            // scaling: retirements move on after each stimulus
        } while (!recommendations.isEmpty() || retirement.active() && retirement.check());
        steals.send();
        for (Map.Entry<String, List<String>> free : toFree.entrySet()) {
            outbox.add(new SchedulerInstruction.FreeKeys(free.getKey(), free.getValue(), stimulusId));
        }
        toFree.clear();
        if (config.validate()) {
            SchedulerInvariants.check(this);
        }
    }

    private void fillQueueSlots() {
        if (!placement.slotsMaybeOpened) {
            return;
        }
        placement.slotsMaybeOpened = false;
        if (queued.isEmpty()) {
            return;
        }
        for (TaskState ts : queued.best(placement.openSlots())) {
            recommendations.put(ts, PROCESSING);
        }
    }

    /** Tells {@code ws} to drop {@code key}, batched with the stimulus's other keys for that worker. */
    void freeKey(WorkerRecord ws, String key) {
        toFree.computeIfAbsent(ws.address, w -> new ArrayList<>()).add(key);
    }

    /**
     * Sends a task to a worker. The keys batched to be freed there go out first, so a task freed and
     * sent again to the same worker in one stimulus is dropped before it is started again.
     */
    void sendCompute(SchedulerInstruction.ComputeTask compute) {
        List<String> pending = toFree.remove(compute.worker());
        if (pending != null) {
            outbox.add(new SchedulerInstruction.FreeKeys(compute.worker(), pending, stimulusId));
        }
        outbox.add(compute);
    }

    void recommend(TaskState ts, SchedulerTaskState finish) {
        recommendations.put(ts, finish);
    }

    /**
     * Requests one transition by hand (tests and replay): an edge of the table, two legs through
     * released, or an {@link IllegalStateException} with the task's story and nothing changed.
     */
    void transition(String key, SchedulerTaskState finish, String stimulusId) {
        TaskState ts = tasks.get(key);
        if (ts == null) {
            throw new IllegalArgumentException("unknown task '" + key + "'");
        }
        begin(stimulusId);
        recommendations.put(ts, finish);
        try {
            finish();
        } catch (RuntimeException e) {
            recommendations.clear();
            throw e;
        }
    }

    /**
     * One requested transition: an edge of the table, or two legs through released. A task asked to
     * be forgotten while others still depend on it is released instead; it is forgotten with its
     * last dependent (an erred one stays erred until then, for the dependents it is blamed by).
     */
    private void transition(TaskState ts, SchedulerTaskState finish) {
        SchedulerTaskState start = ts.state;
        if (finish == FORGOTTEN && !ts.dependents.isEmpty()) {
            if (start == ERRED) {
                return;
            }
            finish = RELEASED;
        }
        if (start == finish || start == FORGOTTEN) {
            return;
        }
        if (start == WAITING && finish == PROCESSING && !ts.waitingOn.isEmpty()) {
            return; // stale: an input left memory after this was recommended; it runs once that input is back
        }
        if (SchedulerTransitions.allowed(start, finish)) {
            apply(ts, start, finish);
        } else if (SchedulerTransitions.allowed(start, RELEASED) && SchedulerTransitions.allowed(RELEASED, finish)) {
            apply(ts, start, RELEASED);
            if (ts.state == RELEASED && finish == FORGOTTEN && ts.dependents.isEmpty() && ts.whoWants.isEmpty()) {
                apply(ts, RELEASED, FORGOTTEN); // as Dask, the second leg at once: its inputs may go straight from memory
            } else if (ts.state == RELEASED) {
                recommendations.put(ts, finish);
            }
        } else {
            throw new IllegalStateException("impossible transition " + start + " -> " + finish + " for task '"
                    + ts.key + "' (stimulus " + stimulusId + "); story: " + story(ts.key));
        }
    }

    private void apply(TaskState ts, SchedulerTaskState start, SchedulerTaskState finish) {
        WorkerRecord before = ts.where(); // where it was; else, after the transition, where it went
        SchedulerTaskState actual = edges.apply(ts, start, finish);
        WorkerRecord at = before != null ? before : ts.where();
        String worker = at == null ? null : at.address;
        log.add(ts.key, start.label(), actual.label(), stimulusId, stimulusMillis);
        ts.group.moved(start, actual);
        events.transition(ts, start, actual, worker, stimulusId);
        if (start == MEMORY && actual != MEMORY) {
            ts.nbytes = -1; // the result is gone: later events describe the task as it is, not its last run
            ts.typeName = null;
        }
        if (actual == FORGOTTEN) {
            tasks.remove(ts.key);
            ts.group.size--;
        }
    }

    SchedulerInstruction.ReportErred erredReport(String client, TaskState ts) {
        TaskState blame = ts.exceptionBlame == null ? ts : ts.exceptionBlame;
        return new SchedulerInstruction.ReportErred(client, ts.key, ts.exceptionText, ts.traceback, blame.key);
    }

    // ---------------------------------------------------------------- outputs and views

    /** Returns the instructions accumulated since the last call and starts a new outbox. */
    public List<SchedulerInstruction> drainInstructions() {
        if (outbox.isEmpty()) {
            return List.of();
        }
        List<SchedulerInstruction> out = outbox;
        outbox = new ArrayList<>();
        return out;
    }

    @Override
    public Map<String, TaskState> tasks() {
        return tasksView;
    }

    @Override
    public Map<String, WorkerRecord> workers() {
        return workersView;
    }

    @Override
    public Set<String> clients() {
        return clientsView;
    }

    /** The tasks {@code client} wants, found by a scan of every task (see {@link #clients}). */
    List<TaskState> wantedBy(String client) {
        List<TaskState> wanted = new ArrayList<>();
        for (TaskState ts : tasks.values()) {
            if (ts.whoWants.contains(client)) {
                wanted.add(ts);
            }
        }
        return wanted;
    }

    @Override
    public Set<String> idleWorkers() {
        return idleView;
    }

    @Override
    public Set<String> saturatedWorkers() {
        return saturatedView;
    }

    /** Tasks waiting on the scheduler for a worker slot. */
    public int queuedCount() {
        return queued.size();
    }

    /** The expected compute time of a task with this key prefix, in seconds (0.5 s while unknown). */
    public double expectedDuration(String prefix) {
        TaskGroup g = groups.get(prefix);
        return g == null ? TaskGroup.UNKNOWN_DURATION_SECONDS : g.expectedDuration();
    }

    @Override
    public List<TransitionRecord> story(String key) {
        return log.story(key);
    }

    /** How many transitions happened since start. */
    public long transitionCount() {
        return log.total();
    }

    /** Tasks per state, for status displays (the states some task is in); costs the number of key prefixes. */
    public Map<SchedulerTaskState, Integer> countByState() {
        Map<SchedulerTaskState, Integer> counts = new java.util.EnumMap<>(SchedulerTaskState.class);
        for (TaskGroup g : groups.values()) {
            addCounts(g, counts);
        }
        return counts;
    }

    /**
     * Tasks per key prefix and state, for status displays (the prefixes with tasks, the states some
     * task is in); costs the number of key prefixes, not of tasks: each prefix's counts are kept as
     * its tasks move.
     */
    public Map<String, Map<SchedulerTaskState, Integer>> countByPrefix() {
        Map<String, Map<SchedulerTaskState, Integer>> out = new java.util.TreeMap<>();
        for (TaskGroup g : groups.values()) {
            if (g.size > 0) {
                addCounts(g, out.computeIfAbsent(g.name, p -> new java.util.EnumMap<>(SchedulerTaskState.class)));
            }
        }
        return out;
    }

    private static void addCounts(TaskGroup g, Map<SchedulerTaskState, Integer> counts) {
        for (SchedulerTaskState state : SchedulerTaskState.values()) {
            int n = g.byState[state.ordinal()];
            if (n > 0 && state != FORGOTTEN) {
                counts.merge(state, n, Integer::sum);
            }
        }
    }

    /** Re-checks every invariant now; throws {@link IllegalStateException} naming the first broken one. */
    public void validate() {
        SchedulerInvariants.check(this);
    }
}
