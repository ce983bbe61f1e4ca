package org.weft.scheduler.core.worker;

import static org.weft.plugin.api.WorkerTaskState.ERROR;
import static org.weft.plugin.api.WorkerTaskState.EXECUTING;
import static org.weft.plugin.api.WorkerTaskState.FETCH;
import static org.weft.plugin.api.WorkerTaskState.FLIGHT;
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

import org.weft.plugin.api.TransitionRecord;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerView;
import org.weft.scheduler.core.state.SchedulerInstruction;

/**
 * The pure state machine of one worker, after Dask's worker state machine: a stimulus goes in
 * (a message from the scheduler, a result from the executor, data from a peer) and the
 * {@link WorkerInstruction}s it causes accumulate in an outbox that the worker loop drains with
 * {@link #drainInstructions()}. No threads, sockets or I/O; one loop thread owns an instance.
 *
 * <p>Simplifications of Dask: no {@code cancelled}/{@code resumed} states. A task freed while it
 * runs goes {@code executing → released} and its run is <em>orphaned</em>: it keeps its executor
 * slot until its result comes back, which is then dropped. Results fetched from peers only to
 * feed local tasks are released and forgotten once no local dependent needs them; the scheduler
 * never knew about those copies. One transfer at a time per peer.
 */
public final class WorkerState implements WorkerView {

    private final String address;
    private final int nthreads;
    private final boolean validate;
    private final WorkerTransitions machine;
    private final Map<String, WorkerTask> tasksView;
    /** Per peer, the tasks of the one transfer in flight from it. */
    private final Map<String, Set<WorkerTask>> inFlightByPeer = new HashMap<>();
    private List<WorkerInstruction> outbox = new ArrayList<>();
    private long arrivals;

    /**
     * @param address this worker's address, used in the story and to skip itself in {@code whoHas}
     * @param nthreads executor threads; at most this many tasks run at once
     * @param events transition and release callbacks ({@link WorkerEvents#NONE} if null)
     * @param validate run {@link #validate()} after every stimulus (on in tests)
     * @param storyCapacity how many transitions the story keeps, all keys together
     */
    public WorkerState(String address, int nthreads, WorkerEvents events, boolean validate, int storyCapacity) {
        if (nthreads < 1) {
            throw new IllegalArgumentException("nthreads must be at least 1, was " + nthreads);
        }
        this.address = Objects.requireNonNull(address, "address");
        this.nthreads = nthreads;
        this.validate = validate;
        this.machine = new WorkerTransitions(address, events == null ? WorkerEvents.NONE : events, storyCapacity);
        this.tasksView = Collections.unmodifiableMap(machine.tasks);
    }

    // ---- stimuli from the scheduler ----

    /** The scheduler wants {@code msg.key()} computed here (or reported, if it is already in memory here). */
    public void computeTask(SchedulerInstruction.ComputeTask msg) {
        String stimulusId = msg.stimulusId();
        WorkerTask task = machine.getOrCreate(msg.key());
        task.computeRequested = true;
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
            if (state == EXECUTING) {
                machine.executingToReleased(task, stimulusId, "freed by scheduler while executing");
            } else if (state == WAITING || state == READY || state == ERROR
                    || state != RELEASED && !task.hasDependents()) {
                machine.moveTo(task, RELEASED, stimulusId, "freed by scheduler");
            }
            machine.considerForgettingFirst(task);
            machine.forgetUnneeded(stimulusId);
        }
        finishStimulus(stimulusId);
    }

    // ---- stimuli from the executor and from transfers ----

    /** A task function returned {@code value}. */
    public void executeSuccess(String key, Object value, long startMillis, long stopMillis, String stimulusId) {
        WorkerTask task = machine.tasks.get(key);
        if (task != null && !orphanedRunReturned(task, stimulusId) && task.state == EXECUTING) {
            machine.executingToMemory(task, value, startMillis, stopMillis, stimulusId);
            outbox.add(finished(task, stimulusId));
        }
        finishStimulus(stimulusId);
    }

    /** A task function threw. */
    public void executeFailure(String key, String exceptionText, String traceback, long startMillis, long stopMillis,
            String stimulusId) {
        WorkerTask task = machine.tasks.get(key);
        if (task != null && !orphanedRunReturned(task, stimulusId) && task.state == EXECUTING) {
            machine.executingToError(task, exceptionText, traceback, startMillis, stopMillis, stimulusId);
            outbox.add(new WorkerInstruction.TaskErredMsg(key, exceptionText, traceback, task.startstopsCopy(),
                    stimulusId));
        }
        finishStimulus(stimulusId);
    }

    /** A transfer from {@code peer} finished; keys asked for but absent from {@code data} are missing there. */
    public void gatherDepSuccess(String peer, Map<String, Object> data, long startMillis, long stopMillis,
            String stimulusId) {
        Set<WorkerTask> asked = inFlightByPeer.remove(peer);
        if (asked != null) {
            machine.fetchPending = true;
            for (WorkerTask task : asked) {
                if (!inFlightFrom(task, peer)) {
                    continue;
                }
                if (data != null && data.containsKey(task.key())) {
                    machine.flightToMemory(task, data.get(task.key()), startMillis, stopMillis, stimulusId);
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

    /** Returns the instructions accumulated since the last call and empties the outbox. */
    /**
     * The scheduler wants to run {@code key} elsewhere. A task not yet started (waiting, ready,
     * constrained) is released here; the answer names the state it was in, so the scheduler knows
     * whether the steal succeeded.
     */
    public void stealRequest(String key, String stimulusId) {
        // worker helper: implemented with work stealing (answer StealResponseMsg)
    }

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

    /** Runs freed while executing whose results have not come back; each still holds an executor thread. */
    public int orphanedRunCount() {
        return machine.orphanedRuns;
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

    /** Starts ready tasks, best priority first, while executor threads are free. */
    private void startReady(String stimulusId) {
        while (!machine.ready.isEmpty() && machine.executing + machine.orphanedRuns < nthreads) {
            WorkerTask task = machine.ready.poll();
            SchedulerInstruction.ComputeTask msg = task.compute;
            List<Object> args = WorkerArgs.substitute(msg.args(), machine.tasks);
            machine.readyToExecuting(task, stimulusId);
            outbox.add(new WorkerInstruction.Execute(task.key(), msg.function(), args, stimulusId));
        }
    }

    private static WorkerInstruction.TaskFinishedMsg finished(WorkerTask task, String stimulusId) {
        return new WorkerInstruction.TaskFinishedMsg(task.key(), task.nbytes, task.typeName(), task.startstopsCopy(),
                stimulusId);
    }
}
