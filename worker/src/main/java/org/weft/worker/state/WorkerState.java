package org.weft.worker.state;

import static org.weft.plugin.api.WorkerTaskState.CONSTRAINED;
import static org.weft.plugin.api.WorkerTaskState.ERROR;
import static org.weft.plugin.api.WorkerTaskState.EXECUTING;
import static org.weft.plugin.api.WorkerTaskState.FETCH;
import static org.weft.plugin.api.WorkerTaskState.FLIGHT;
import static org.weft.plugin.api.WorkerTaskState.LONG_RUNNING;
import static org.weft.plugin.api.WorkerTaskState.MEMORY;
import static org.weft.plugin.api.WorkerTaskState.MISSING;
import static org.weft.plugin.api.WorkerTaskState.READY;
import static org.weft.plugin.api.WorkerTaskState.RELEASED;
import static org.weft.plugin.api.WorkerTaskState.WAITING;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.weft.node.SchedulerInstruction;
import org.weft.node.WorkerInstruction;
import org.weft.plugin.api.TransitionRecord;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerView;

/**
 * The pure state machine of one worker, after Dask's worker state machine: a stimulus goes in
 * (a message from the scheduler, a result from the executor, data from a peer) and the
 * {@link WorkerInstruction}s it causes accumulate in an outbox that the worker loop drains with
 * {@link #drainInstructions()}. No threads, sockets or I/O; one loop thread owns an instance.
 *
 * <p>Simplifications of Dask: no {@code cancelled}/{@code resumed} states. A task freed while it
 * runs goes {@code executing → released} (or {@code long-running → released}) and its run is
 * <em>orphaned</em>: it keeps its executor slot (unless it seceded) and its resources until its
 * result comes back, which is then dropped. Results fetched from peers only to
 * feed local tasks are released and forgotten once no local dependent needs them; the scheduler
 * never knew about those copies. One transfer at a time per peer.
 */
public final class WorkerState implements WorkerView {

    private final String address;
    private final int nthreads;
    private final boolean validate;
    private final WorkerTransitions machine;
    private final ExecutorSlots slots;
    private final Map<String, WorkerTask> tasksView;
    /** Per peer, the tasks of the one transfer in flight from it. */
    private final Map<String, Set<WorkerTask>> inFlightByPeer = new HashMap<>();
    private List<WorkerInstruction> outbox = new ArrayList<>();
    /** Adds to the current outbox; one object, not a method reference bound to each outbox anew per stimulus. */
    private final Consumer<WorkerInstruction> toOutbox = instruction -> outbox.add(instruction);
    private long arrivals;

    /**
     * @param address this worker's address, used in the story and to skip itself in {@code whoHas}
     * @param nthreads executor threads; at most this many tasks run at once
     * @param events transition and release callbacks ({@link WorkerEvents#NONE} if null)
     * @param validate run {@link #validate()} after every stimulus (on in tests)
     * @param storyCapacity how many transitions the story keeps, all keys together
     */
    public WorkerState(String address, int nthreads, WorkerEvents events, boolean validate, int storyCapacity) {
        this(address, nthreads, Map.of(), events, validate, storyCapacity);
    }

    /**
     * A worker with abstract {@code resources} (e.g. {@code GPU=1.0}): a task asking for some runs
     * only while they are free here; see {@link WorkerResources}.
     */
    public WorkerState(String address, int nthreads, Map<String, Double> resources, WorkerEvents events,
            boolean validate, int storyCapacity) {
        this(address, nthreads, resources, events, validate, storyCapacity, () -> 0L);
    }

    /**
     * @param clockMillis the time in milliseconds that stamps the story; the state never reads the
     *        system clock itself (the other constructors stamp 0, for tests and replays)
     */
    public WorkerState(String address, int nthreads, Map<String, Double> resources, WorkerEvents events,
            boolean validate, int storyCapacity, java.util.function.LongSupplier clockMillis) {
        if (nthreads < 1) {
            throw new IllegalArgumentException("nthreads must be at least 1, was " + nthreads);
        }
        this.address = Objects.requireNonNull(address, "address");
        this.nthreads = nthreads;
        this.validate = validate;
        this.machine = new WorkerTransitions(address, events == null ? WorkerEvents.NONE : events, storyCapacity,
                resources, clockMillis);
        this.slots = new ExecutorSlots(machine, nthreads);
        this.tasksView = Collections.unmodifiableMap(machine.tasks);
    }

    // ---- stimuli from the scheduler ----

    /** The scheduler wants {@code msg.key()} computed here (or reported, if it is already in memory here). */
    public void computeTask(SchedulerInstruction.ComputeTask msg) {
        String stimulusId = msg.stimulusId();
        WorkerTask task = machine.getOrCreate(msg.key());
        task.computeRequested = true;
        task.runId = msg.runId(); // the answer, whichever run gives it, is this request's
        switch (task.state) {
            case MEMORY -> outbox.add(finished(task, stimulusId));
            case READY, EXECUTING, LONG_RUNNING, CONSTRAINED -> {
                // already on it
            }
            case WAITING -> {
                task.compute = msg;
                resolveDependencies(task, stimulusId);
            }
            case FLIGHT -> task.compute = msg; // reported when the transfer lands, computed here if it fails
            default -> {
                task.compute = msg;
                machine.moveTo(task, WAITING, stimulusId, "compute requested");
                resolveDependencies(task, stimulusId);
            }
        }
        finishStimulus(stimulusId);
    }

    /**
     * The scheduler no longer needs these keys here. A running task's result will be ignored;
     * results that local tasks still need stay until those are done. Unknown keys are ignored.
     */
    public void freeKeys(Collection<String> keys, String stimulusId) {
        for (String key : keys) {
            WorkerTask task = machine.tasks.get(key);
            if (task == null) {
                continue;
            }
            task.computeRequested = false;
            task.compute = null;
            WorkerTaskState state = task.state;
            if (state == EXECUTING || state == LONG_RUNNING) {
                machine.moveTo(task, RELEASED, stimulusId, "freed by scheduler while " + state.label());
            } else if (state == WAITING || state == READY || state == CONSTRAINED || state == ERROR
                    || state != RELEASED && !task.hasDependents()) {
                machine.moveTo(task, RELEASED, stimulusId, "freed by scheduler");
            }
            machine.considerForgettingFirst(task);
            machine.forgetUnneeded(stimulusId);
        }
        finishStimulus(stimulusId);
    }

    /**
     * The scheduler asks for copies of these results (key → workers holding it), to move a
     * retiring worker's data here (Dask's {@code acquire-replicas}). Each is fetched like a
     * dependency and, once here, reported as a finished task, so the scheduler counts this worker
     * as a holder; a result already here is reported at once. Keys being computed here are left alone.
     */
    public void acquireReplicas(Map<String, Set<String>> whoHas, String stimulusId) {
        for (Map.Entry<String, Set<String>> entry : whoHas.entrySet()) {
            WorkerTask task = machine.getOrCreate(entry.getKey());
            switch (task.state) {
                case MEMORY -> {
                    if (!task.computeRequested) {
                        task.computeRequested = true;
                        outbox.add(finished(task, stimulusId));
                    }
                }
                case RELEASED, MISSING -> {
                    task.setPeers(entry.getValue(), address);
                    if (task.peers.isEmpty()) {
                        machine.considerForgetting(task);
                    } else {
                        task.computeRequested = true;
                        machine.moveTo(task, FETCH, stimulusId, "replica requested");
                    }
                }
                case FETCH, FLIGHT -> task.computeRequested = true;
                default -> {
                    // computed or erred here: nothing to copy
                }
            }
        }
        finishStimulus(stimulusId);
    }

    // ---- stimuli from the executor and from transfers ----

    /** A task function returned {@code value}; its size is estimated. */
    public void executeSuccess(String key, Object value, long startMillis, long stopMillis, String stimulusId) {
        executeSuccess(key, value, -1, startMillis, stopMillis, stimulusId);
    }

    /**
     * A task function returned {@code value}, of {@code nbytes} (its encoded size, as a worker
     * process measures it; -1: estimate it).
     */
    public void executeSuccess(String key, Object value, long nbytes, long startMillis, long stopMillis, String stimulusId) {
        WorkerTask task = machine.tasks.get(key);
        if (task != null && !orphanedRunReturned(task, stimulusId)) {
            machine.measuredNbytes = nbytes;
            try {
                if (task.state == EXECUTING) {
                    machine.executingToMemory(task, value, startMillis, stopMillis, stimulusId);
                    outbox.add(finished(task, stimulusId));
                } else if (task.state == LONG_RUNNING) {
                    machine.longRunningToMemory(task, value, startMillis, stopMillis, stimulusId);
                    outbox.add(finished(task, stimulusId));
                }
            } finally {
                machine.measuredNbytes = -1;
            }
        }
        finishStimulus(stimulusId);
    }

    /** A task function threw. */
    public void executeFailure(String key, String exceptionText, String traceback, long startMillis, long stopMillis,
            String stimulusId) {
        WorkerTask task = machine.tasks.get(key);
        if (task != null && !orphanedRunReturned(task, stimulusId)
                && (task.state == EXECUTING || task.state == LONG_RUNNING)) {
            if (task.state == EXECUTING) {
                machine.executingToError(task, exceptionText, traceback, startMillis, stopMillis, stimulusId);
            } else {
                machine.longRunningToError(task, exceptionText, traceback, startMillis, stopMillis, stimulusId);
            }
            outbox.add(new WorkerInstruction.TaskErredMsg(key, exceptionText, traceback, task.startstops(),
                    stimulusId, task.runId));
        }
        finishStimulus(stimulusId);
    }

    /** A transfer from {@code peer} finished; keys asked for but absent from {@code data} are missing there. */
    public void gatherDepSuccess(String peer, Map<String, Object> data, long startMillis, long stopMillis,
            String stimulusId) {
        gatherDepSuccess(peer, data, Map.of(), startMillis, stopMillis, stimulusId);
    }

    /**
     * As {@link #gatherDepSuccess(String, Map, long, long, String)}, with the size of each value
     * as it crossed ({@code nbytes}: its encoded length, the size the peer reported when it computed
     * it); a value without one is estimated.
     */
    public void gatherDepSuccess(String peer, Map<String, Object> data, Map<String, Long> nbytes, long startMillis,
            long stopMillis, String stimulusId) {
        Set<WorkerTask> asked = inFlightByPeer.remove(peer);
        if (asked != null) {
            machine.fetchPending = true;
            for (WorkerTask task : asked) {
                if (!inFlightFrom(task, peer)) {
                    continue;
                }
                if (data != null && data.containsKey(task.key())) {
                    machine.measuredNbytes = nbytes.getOrDefault(task.key(), -1L);
                    try {
                        machine.flightToMemory(task, data.get(task.key()), startMillis, stopMillis, stimulusId);
                    } finally {
                        machine.measuredNbytes = -1;
                    }
                    if (task.computeRequested) {
                        outbox.add(finished(task, stimulusId));
                    } else {
                        machine.considerForgetting(task);
                    }
                } else {
                    missing(task, peer, stimulusId);
                }
            }
        }
        finishStimulus(stimulusId);
    }

    /** A transfer from {@code peer} failed: every key asked of it is missing there. */
    public void gatherDepFailure(String peer, Collection<String> keys, String reason, String stimulusId) {
        Set<WorkerTask> affected = new LinkedHashSet<>();
        for (String key : keys) {
            WorkerTask task = machine.tasks.get(key);
            if (task != null) {
                affected.add(task);
            }
        }
        Set<WorkerTask> asked = inFlightByPeer.remove(peer);
        if (asked != null) {
            machine.fetchPending = true;
            affected.addAll(asked);
        }
        for (WorkerTask task : affected) {
            if (inFlightFrom(task, peer)) {
                missing(task, peer, stimulusId);
            }
        }
        finishStimulus(stimulusId);
    }

    /**
     * The scheduler wants to run {@code key} elsewhere. A task not yet started (waiting, ready,
     * constrained) is released here and the answer names the state it was in: the steal succeeded.
     * Any other state (executing, long-running, memory, error, fetch, flight ...) is answered as it
     * is and the task is kept: the steal is rejected. A key this worker does not know (finished and
     * forgotten, or never arrived) is answered {@code released}: nothing here to steal.
     */
    public void stealRequest(String key, String stimulusId) {
        WorkerTask task = machine.tasks.get(key);
        WorkerTaskState before = task == null ? RELEASED : task.state;
        if (before == WAITING || before == READY || before == CONSTRAINED) {
            task.computeRequested = false;
            task.compute = null;
            machine.moveTo(task, RELEASED, stimulusId, "stolen by the scheduler");
            machine.considerForgettingFirst(task);
        }
        outbox.add(new WorkerInstruction.StealResponseMsg(key, before, stimulusId));
        finishStimulus(stimulusId);
    }

    // ---- stimuli from running task functions ----

    /**
     * The running function of {@code key} seceded (Dask's {@code secede()}): it no longer counts
     * against the executor threads, so another task may start. An executing task becomes
     * long-running and the scheduler is told; a task already long-running (after a rejoin) or an
     * orphaned run just gives its thread back. Its resources stay held. Otherwise ignored.
     */
    public void secede(String key, String stimulusId) {
        WorkerTask task = machine.tasks.get(key);
        if (task != null && task.holdsThread) {
            if (task.state == EXECUTING && !task.orphanedRun) {
                machine.executingToLongRunning(task, stimulusId);
                outbox.add(new WorkerInstruction.LongRunningMsg(key, stimulusId, task.runId));
            } else {
                machine.leaveThread(task);
            }
        }
        finishStimulus(stimulusId);
    }

    /**
     * The seceded function of {@code key} wants a thread again (Dask's {@code rejoin()}): it gets
     * one before any other task starts, and is let go with {@link WorkerInstruction.Rejoin}. The
     * task stays long-running. A run that holds a thread, or one unknown here, is let go at once.
     */
    public void rejoin(String key, String stimulusId) {
        WorkerTask task = machine.tasks.get(key);
        if (task == null || task.holdsThread || task.state != LONG_RUNNING && !task.orphanedRun) {
            outbox.add(new WorkerInstruction.Rejoin(key, stimulusId));
        } else if (!machine.rejoining.contains(task)) {
            machine.rejoining.add(task);
        }
        finishStimulus(stimulusId);
    }

    /** Returns the instructions accumulated since the last call and empties the outbox. */
    public List<WorkerInstruction> drainInstructions() {
        if (outbox.isEmpty()) {
            return List.of();
        }
        List<WorkerInstruction> drained = outbox;
        outbox = new ArrayList<>();
        return drained;
    }

    // ---- queries ----

    /** The result held here for {@code key}, or null (also when the result itself is null). */
    public Object data(String key) {
        WorkerTask task = machine.tasks.get(key);
        return task != null && task.state == MEMORY ? task.value : null;
    }

    /** Whether a result for {@code key} is held here. */
    public boolean hasData(String key) {
        WorkerTask task = machine.tasks.get(key);
        return task != null && task.state == MEMORY;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public int nthreads() {
        return nthreads;
    }

    /** Every task this worker knows, by key: a live, unmodifiable view. */
    @Override
    public Map<String, WorkerTask> tasks() {
        return tasksView;
    }

    /** The transitions of {@code key} still in the bounded story, oldest first. */
    public List<TransitionRecord> story(String key) {
        return machine.story.of(key);
    }

    /** Tasks in state {@code executing}. */
    public int executingCount() {
        return machine.executing;
    }

    /** Runs freed while executing whose results have not come back; each still holds its resources. */
    public int orphanedRunCount() {
        return machine.orphanedRuns;
    }

    /** Tasks in state {@code long-running}: they seceded from the executor threads. */
    public int longRunningCount() {
        return machine.longRunning;
    }

    /** Tasks in state {@code constrained}: waiting for their resources to be free. */
    public int constrainedCount() {
        return machine.constrained.size();
    }

    /** Runs that occupy an executor thread now (executing, orphaned without seceding, rejoined); at most nthreads. */
    public int threadsInUse() {
        return machine.threadsHeld;
    }

    /** This worker's abstract resources: in all and free now. */
    public WorkerResources resources() {
        return machine.resources;
    }

    /**
     * Adds resources found after the worker was made (a worker process's {@code NAME=auto}),
     * before it joins its scheduler.
     *
     * @throws IllegalStateException if the worker holds a task already
     * @throws IllegalArgumentException for a bad quantity or a name it has already
     */
    public void addResources(Map<String, Double> more) {
        if (!tasks().isEmpty()) {
            throw new IllegalStateException("resources can be added only before the worker has tasks");
        }
        machine.resources.add(more);
    }

    /** Tasks in state {@code ready}. */
    public int readyCount() {
        return machine.ready.size();
    }

    /** Checks the invariants; throws {@link IllegalStateException} naming every violation. */
    public void validate() {
        WorkerInvariants.check(machine, nthreads);
    }

    /** Requests one transition by hand (tests and replay): direct, through released, or an error with the story. */
    void transition(String key, WorkerTaskState finish, String stimulusId) {
        WorkerTask task = machine.tasks.get(key);
        if (task == null) {
            throw new IllegalArgumentException("Unknown key '" + key + "'");
        }
        machine.moveTo(task, finish, stimulusId, "requested");
        finishStimulus(stimulusId);
    }

    // ---- steps ----

    /** Links the dependencies named by the task's compute message and starts fetching the remote ones. */
    private void resolveDependencies(WorkerTask task, String stimulusId) {
        SchedulerInstruction.ComputeTask msg = task.compute;
        Map<String, Set<String>> whoHas = msg.whoHas() == null ? Map.of() : msg.whoHas();
        for (String key : WorkerArgs.dependencyKeys(msg.args(), whoHas)) {
            if (key.equals(task.key())) {
                continue;
            }
            WorkerTask dependency = machine.getOrCreate(key);
            task.link(dependency);
            Set<String> holders = whoHas.get(key);
            if (holders != null) {
                dependency.setPeers(holders, address);
                if (dependency.state == FETCH) {
                    machine.newlyFetching.add(dependency); // it may have a free peer now
                }
            }
            if ((dependency.state == RELEASED || dependency.state == MISSING) && !dependency.peers.isEmpty()) {
                machine.moveTo(dependency, FETCH, stimulusId, null);
            }
        }
        task.waitingFor = task.dependenciesNotInMemory();
        task.resources = msg.resources();
        task.priority = msg.priority();
        task.arrival = ++arrivals;
        machine.readyIfDependenciesPresent(task, stimulusId);
    }

    /** Drops an orphaned run's result; true if the result was orphaned. */
    private boolean orphanedRunReturned(WorkerTask task, String stimulusId) {
        if (!task.orphanedRun) {
            return false;
        }
        machine.orphanedRunReturned(task);
        machine.considerForgetting(task);
        machine.readyIfDependenciesPresent(task, stimulusId);
        return true;
    }

    private boolean inFlightFrom(WorkerTask task, String peer) {
        return task.state == FLIGHT && peer.equals(task.flightPeer) && machine.tasks.get(task.key()) == task;
    }

    private void missing(WorkerTask task, String peer, String stimulusId) {
        machine.flightToMissing(task, stimulusId);
        outbox.add(new WorkerInstruction.MissingDataMsg(task.key(), peer, stimulusId));
        if (task.computeRequested && task.compute != null) {
            machine.missingToWaiting(task, stimulusId);
            resolveDependencies(task, stimulusId);
        } else {
            task.computeRequested = false; // a replica that could not be copied (acquireReplicas)
            machine.considerForgetting(task);
        }
    }

    private void finishStimulus(String stimulusId) {
        machine.forgetUnneeded(stimulusId);
        gatherFetchable(stimulusId);
        startReady(stimulusId);
        if (validate) {
            validate();
        }
    }

    /** One transfer per free peer, grouping the fetchable keys by the first free peer that holds them. */
    private void gatherFetchable(String stimulusId) {
        if (!machine.fetchPending && machine.newlyFetching.isEmpty()) {
            return;
        }
        // all of them when a peer became free, else only those new since the last round (O(new), not O(fetching))
        Collection<WorkerTask> candidates = machine.fetchPending ? machine.fetching : machine.newlyFetching;
        machine.fetchPending = false;
        Map<String, Set<WorkerTask>> batches = null;
        for (WorkerTask task : candidates) {
            if (!machine.fetching.contains(task)) {
                continue; // left fetch again within the stimulus
            }
            for (String peer : task.peers) {
                if (!inFlightByPeer.containsKey(peer)) {
                    if (batches == null) {
                        batches = new LinkedHashMap<>();
                    }
                    batches.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(task);
                    break;
                }
            }
        }
        machine.newlyFetching.clear();
        if (batches == null) {
            return;
        }
        for (Map.Entry<String, Set<WorkerTask>> batch : batches.entrySet()) {
            String peer = batch.getKey();
            Set<String> keys = new LinkedHashSet<>();
            for (WorkerTask task : batch.getValue()) {
                machine.fetchToFlight(task, peer, stimulusId);
                keys.add(task.key());
            }
            inFlightByPeer.put(peer, batch.getValue());
            outbox.add(new WorkerInstruction.GatherDep(peer, Collections.unmodifiableSet(keys), stimulusId));
        }
    }

    /** Lets rejoining runs go on, then starts ready and constrained tasks while executor threads are free. */
    private void startReady(String stimulusId) {
        slots.fill(stimulusId, toOutbox);
    }

    private static WorkerInstruction.TaskFinishedMsg finished(WorkerTask task, String stimulusId) {
        return new WorkerInstruction.TaskFinishedMsg(task.key(), task.nbytes, task.typeName(), task.startstops(),
                stimulusId, task.runId);
    }
}
