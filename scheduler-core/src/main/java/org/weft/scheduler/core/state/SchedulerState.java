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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.client.spi.TaskSpec;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TransitionRecord;
import org.weft.plugin.api.WorkerTaskState;

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
    final Map<String, Set<TaskState>> wantsWhat = new LinkedHashMap<>();
    final Set<TaskState> unrunnable = new LinkedHashSet<>();
    final SchedulerConfig config;
    final SchedulerEvents events;
    final TransitionLog log;
    final SchedulerTransitions edges;

    private final Map<String, TaskState> tasksView = Collections.unmodifiableMap(tasks);
    private final Map<String, WorkerRecord> workersView = Collections.unmodifiableMap(workers);
    private final Set<String> clientsView = Collections.unmodifiableSet(wantsWhat.keySet());
    private final LinkedHashMap<TaskState, SchedulerTaskState> recommendations = new LinkedHashMap<>();
    /** Keys to free per worker address, gathered during one stimulus; one FreeKeys each at its end. */
    private final Map<String, List<String>> toFree = new LinkedHashMap<>();
    List<SchedulerInstruction> outbox = new ArrayList<>();
    WorkerRecord[] workerArray = new WorkerRecord[0];
    String stimulusId = "init";
    private long prioritySeq;

    public SchedulerState(SchedulerConfig config, SchedulerEvents events) {
        this.config = config;
        this.events = events == null ? SchedulerEvents.NONE : events;
        this.log = new TransitionLog(config.storyCapacity());
        this.edges = new SchedulerTransitions(this);
    }

    // ---------------------------------------------------------------- stimuli: clients

    public void addClient(String client) {
        if (wantsWhat.putIfAbsent(client, new LinkedHashSet<>()) == null) {
            events.clientAdded(client);
        }
    }

    /** The client left: everything it wanted is released. */
    public void removeClient(String client, String stimulusId) {
        Set<TaskState> wanted = wantsWhat.get(client);
        if (wanted == null) {
            return;
        }
        List<String> keys = new ArrayList<>(wanted.size());
        for (TaskState ts : wanted) {
            keys.add(ts.key);
        }
        releaseKeys(client, keys, stimulusId);
        wantsWhat.remove(client);
        events.clientRemoved(client);
    }

    /**
     * A client submits tasks and the keys it wants.
     *
     * @throws IllegalArgumentException if the graph is malformed or the client unknown; nothing changes then
     */
    public void updateGraph(String client, List<TaskSpec> specs, Set<String> wanted, String stimulusId) {
        Set<TaskState> clientWants = wantsWhat.get(client);
        if (clientWants == null) {
            throw new IllegalArgumentException("unknown client '" + client + "'");
        }
        GraphCheck.check(specs, wanted, tasks);
        begin(stimulusId);
        List<TaskState> created = new ArrayList<>(specs.size());
        List<TaskSpec> createdSpecs = new ArrayList<>(specs.size());
        for (TaskSpec spec : specs) {
            if (!tasks.containsKey(spec.key())) {
                TaskState ts = new TaskState(spec.key(), spec.function(), spec.args(), spec.retries(),
                        new TaskPriority(spec.priority(), 0, prioritySeq++));
                tasks.put(ts.key, ts);
                created.add(ts);
                createdSpecs.add(spec);
            }
        }
        for (int i = 0; i < created.size(); i++) {
            TaskState ts = created.get(i);
            for (String dep : createdSpecs.get(i).dependencies()) {
                TaskState dts = tasks.get(dep);
                ts.dependencies.add(dts);
                dts.dependents.add(ts);
            }
        }
        for (String key : wanted) {
            TaskState ts = tasks.get(key);
            ts.whoWants.add(client);
            clientWants.add(ts);
        }
        events.graphUpdated(client, wanted, new KeysView(created), stimulusId);
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

    /** The client no longer wants these keys; unknown keys are ignored. */
    public void releaseKeys(String client, Collection<String> keys, String stimulusId) {
        Set<TaskState> clientWants = wantsWhat.get(client);
        if (clientWants == null) {
            return;
        }
        begin(stimulusId);
        for (String key : keys) {
            TaskState ts = tasks.get(key);
            if (ts == null || !ts.whoWants.remove(client)) {
                continue;
            }
            clientWants.remove(ts);
            if (ts.whoWants.isEmpty() && ts.waiters.isEmpty() && ts.state != RELEASED) {
                recommendations.put(ts, RELEASED);
            } else if (ts.whoWants.isEmpty() && ts.dependents.isEmpty() && ts.state == RELEASED) {
                recommendations.put(ts, FORGOTTEN);
            }
        }
        finish();
    }

    // ---------------------------------------------------------------- stimuli: workers

    /** A worker joined. Called before it is given work: tasks that had no worker move on. */
    public void addWorker(String address, int nthreads, String stimulusId) {
        if (workers.containsKey(address)) {
            throw new IllegalArgumentException("worker '" + address + "' is already connected");
        }
        if (nthreads < 1) {
            throw new IllegalArgumentException("worker '" + address + "' must have at least one thread");
        }
        begin(stimulusId);
        WorkerRecord ws = new WorkerRecord(address, nthreads);
        workers.put(address, ws);
        workerArray = workers.values().toArray(new WorkerRecord[0]);
        events.workerAdded(ws, stimulusId);
        for (TaskState ts : unrunnable) {
            recommendations.put(ts, PROCESSING);
        }
        finish();
    }

    /**
     * A worker left or was lost. Its processing tasks are rescheduled (or err with KilledWorker
     * past {@code allowedFailures}); results only it held are recomputed if still needed.
     *
     * @return whether the worker was known
     */
    public boolean removeWorker(String address, String stimulusId) {
        WorkerRecord ws = workers.remove(address);
        if (ws == null) {
            return false;
        }
        begin(stimulusId);
        workerArray = workers.values().toArray(new WorkerRecord[0]);
        for (TaskState ts : new ArrayList<>(ws.processing)) {
            ts.suspicious++;
            if (ts.suspicious > config.allowedFailures()) {
                ts.exceptionText = "KilledWorker: attempted to run task '" + ts.key + "' on " + ts.suspicious
                        + " different workers, but all those workers died while running it; the last was " + address;
                ts.traceback = null;
                ts.exceptionBlame = ts;
                recommendations.put(ts, ERRED);
            } else {
                recommendations.put(ts, WAITING);
            }
        }
        for (TaskState ts : new ArrayList<>(ws.hasWhat)) {
            ts.whoHas.remove(ws);
            ws.hasWhat.remove(ts);
            if (ts.whoHas.isEmpty()) {
                recommendations.put(ts, RELEASED);
            }
        }
        ws.nbytes = 0;
        finish();
        events.workerRemoved(ws, stimulusId);
        return true;
    }

    // ---------------------------------------------------------------- stimuli: task results

    /** A worker finished a task. Stale reports (task released meanwhile) make the worker drop the result. */
    public void taskFinished(String key, String worker, long nbytes, String typeName, List<Startstop> startstops,
            String stimulusId) {
        TaskState ts = tasks.get(key);
        WorkerRecord ws = workers.get(worker);
        if (ws == null) {
            return;
        }
        begin(stimulusId);
        if (ts != null && ts.state == PROCESSING && ts.processingOn == ws) {
            ts.nbytes = nbytes;
            ts.typeName = typeName;
            ts.startstops = startstops == null ? List.of() : startstops;
            recommendations.put(ts, MEMORY);
        } else if (ts != null && ts.state == MEMORY && !ts.whoHas.contains(ws)) {
            ts.whoHas.add(ws);
            ws.hasWhat.add(ts);
            ws.nbytes += Math.max(0, nbytes);
        } else if (ts == null || !ts.whoHas.contains(ws)) {
            freeKey(ws, key);
        }
        finish();
    }

    /** A worker's task failed. With retries left it goes back to waiting, else it errs and so do its dependents. */
    public void taskErred(String key, String worker, String exceptionText, String traceback,
            List<Startstop> startstops, String stimulusId) {
        TaskState ts = tasks.get(key);
        WorkerRecord ws = workers.get(worker);
        if (ts == null || ws == null || ts.state != PROCESSING || ts.processingOn != ws) {
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
        if (ws != null && ts.whoHas.remove(ws)) {
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
     * Ignored unless the task is processing elsewhere and the thief can run it.
     */
    public void stealRequest(String key, String thief, String stimulusId) {
        // placement (lead): implemented with work stealing
    }

    /** The victim's answer to a steal request; see {@link SchedulerInstruction.StealRequest}. */
    public void stealResponse(String key, String victim, WorkerTaskState stateThere, String stimulusId) {
        // placement (lead): implemented with work stealing
    }

    // ---------------------------------------------------------------- stimuli: control (cancel, reschedule, restart, events)

    // ---------------------------------------------------------------- stimuli: scaling (retire, heartbeats, idle)

    // ---------------------------------------------------------------- the transition engine

    private void begin(String stimulusId) {
        this.stimulusId = stimulusId;
    }

    /** Processes recommendations until none are left, then validates if configured. */
    private void finish() {
        while (!recommendations.isEmpty()) {
            Iterator<Map.Entry<TaskState, SchedulerTaskState>> it = recommendations.entrySet().iterator();
            Map.Entry<TaskState, SchedulerTaskState> next = it.next();
            it.remove();
            transition(next.getKey(), next.getValue());
        }
        for (Map.Entry<String, List<String>> free : toFree.entrySet()) {
            outbox.add(new SchedulerInstruction.FreeKeys(free.getKey(), free.getValue(), stimulusId));
        }
        toFree.clear();
        if (config.validate()) {
            SchedulerInvariants.check(this);
        }
    }

    /** Tells {@code ws} to drop {@code key}, batched with the stimulus's other keys for that worker. */
    void freeKey(WorkerRecord ws, String key) {
        toFree.computeIfAbsent(ws.address, w -> new ArrayList<>()).add(key);
    }

    void recommend(TaskState ts, SchedulerTaskState finish) {
        recommendations.put(ts, finish);
    }

    /** One requested transition: an edge of the table, or two legs through released. */
    private void transition(TaskState ts, SchedulerTaskState finish) {
        SchedulerTaskState start = ts.state;
        if (start == finish || start == FORGOTTEN) {
            return;
        }
        if (SchedulerTransitions.allowed(start, finish)) {
            apply(ts, start, finish);
        } else if (SchedulerTransitions.allowed(start, RELEASED) && SchedulerTransitions.allowed(RELEASED, finish)) {
            apply(ts, start, RELEASED);
            if (ts.state == RELEASED) {
                recommendations.put(ts, finish);
            }
        } else {
            throw new IllegalStateException("impossible transition " + start + " -> " + finish + " for task '"
                    + ts.key + "' (stimulus " + stimulusId + "); story: " + story(ts.key));
        }
    }

    private void apply(TaskState ts, SchedulerTaskState start, SchedulerTaskState finish) {
        String worker = ts.processingOn != null ? ts.processingOn.address : null;
        SchedulerTaskState actual = edges.apply(ts, start, finish);
        if (worker == null && ts.processingOn != null) {
            worker = ts.processingOn.address;
        }
        if (worker == null && !ts.whoHas.isEmpty()) {
            worker = ts.whoHas.iterator().next().address;
        }
        log.add(ts.key, start.label(), actual.label(), stimulusId, System.currentTimeMillis());
        events.transition(ts, start, actual, worker, stimulusId);
        if (actual == FORGOTTEN) {
            tasks.remove(ts.key);
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

    @Override
    public List<TransitionRecord> story(String key) {
        return log.story(key);
    }

    /** How many transitions happened since start. */
    public long transitionCount() {
        return log.total();
    }

    /** Tasks per state, for status displays. */
    public Map<SchedulerTaskState, Integer> countByState() {
        Map<SchedulerTaskState, Integer> counts = new java.util.EnumMap<>(SchedulerTaskState.class);
        for (TaskState ts : tasks.values()) {
            counts.merge(ts.state, 1, Integer::sum);
        }
        return counts;
    }

    /** Re-checks every invariant now; throws {@link IllegalStateException} naming the first broken one. */
    public void validate() {
        SchedulerInvariants.check(this);
    }
}
