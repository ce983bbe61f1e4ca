package org.weft.worker.state;

import static org.weft.plugin.api.WorkerTaskState.CONSTRAINED;
import static org.weft.plugin.api.WorkerTaskState.ERROR;
import static org.weft.plugin.api.WorkerTaskState.EXECUTING;
import static org.weft.plugin.api.WorkerTaskState.FETCH;
import static org.weft.plugin.api.WorkerTaskState.FLIGHT;
import static org.weft.plugin.api.WorkerTaskState.FORGOTTEN;
import static org.weft.plugin.api.WorkerTaskState.LONG_RUNNING;
import static org.weft.plugin.api.WorkerTaskState.MEMORY;
import static org.weft.plugin.api.WorkerTaskState.MISSING;
import static org.weft.plugin.api.WorkerTaskState.READY;
import static org.weft.plugin.api.WorkerTaskState.RELEASED;
import static org.weft.plugin.api.WorkerTaskState.WAITING;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.WorkerTaskState;

/**
 * The bookkeeping of one worker's tasks and one method per elementary transition it uses. Each
 * edge method updates the indexes (ready queue, fetch set, counters), then applies the state
 * change: story record, {@link WorkerEvents#transition}, removal when forgotten. Nothing here
 * produces instructions; {@link WorkerState} does that around these calls.
 */
final class WorkerTransitions {

    final String address;
    final WorkerEvents events;
    final WorkerStory story;
    /** Stamps the story; the state reads no clock of its own. */
    private final java.util.function.LongSupplier clock;
    final Map<String, WorkerTask> tasks = new HashMap<>();
    final PriorityQueue<WorkerTask> ready = new PriorityQueue<>(WorkerTask.READY_ORDER);
    final Set<WorkerTask> fetching = new LinkedHashSet<>();
    /** Waiting for their resources to be free, in ready order. */
    final TreeSet<WorkerTask> constrained = new TreeSet<>(WorkerTask.READY_ORDER);
    /** Seceded runs that asked for a thread again, first come first served. */
    final Deque<WorkerTask> rejoining = new ArrayDeque<>();
    final WorkerResources resources;
    /** Tasks that may have become unneeded; {@link #forgetUnneeded} decides. */
    private final ArrayDeque<WorkerTask> forgetCandidates = new ArrayDeque<>();
    int executing;
    int longRunning;
    int orphanedRuns;
    /** Runs that occupy an executor thread: executing ones, orphaned ones that did not secede, rejoined ones. */
    int threadsHeld;
    /**
     * A peer became free since the last gather round: every fetching task must be looked at. (After
     * a round, every task still fetching has all its peers busy, so otherwise only new ones need a look.)
     */
    boolean fetchPending;
    /** Tasks that entered fetch since the last gather round. */
    final List<WorkerTask> newlyFetching = new ArrayList<>();

    WorkerTransitions(String address, WorkerEvents events, int storyCapacity, Map<String, Double> resources,
            java.util.function.LongSupplier clockMillis) {
        this.clock = clockMillis;
        this.address = address;
        this.resources = new WorkerResources(resources);
        this.events = events;
        this.story = new WorkerStory(storyCapacity, address);
    }

    WorkerTask getOrCreate(String key) {
        WorkerTask task = tasks.get(key);
        if (task == null) {
            task = new WorkerTask(key);
            tasks.put(key, task);
        }
        return task;
    }

    /**
     * Moves {@code task} to {@code finish}: directly if the table allows it, else through
     * {@code released} if both legs are allowed, else throws with the task's story. Only edges
     * without a payload can be requested this way.
     */
    void moveTo(WorkerTask task, WorkerTaskState finish, String stimulusId, String reason) {
        WorkerTaskState start = task.state;
        if (WorkerTransitionTable.allows(start, finish)) {
            elementary(task, finish, stimulusId, reason);
        } else if (WorkerTransitionTable.allows(start, RELEASED) && WorkerTransitionTable.allows(RELEASED, finish)) {
            elementary(task, RELEASED, stimulusId, reason);
            elementary(task, finish, stimulusId, reason);
        } else {
            throw illegal(task, finish, stimulusId, "not allowed, not even through released");
        }
    }

    private void elementary(WorkerTask task, WorkerTaskState finish, String stimulusId, String reason) {
        WorkerTaskState start = task.state;
        boolean done = switch (start) {
            case RELEASED -> switch (finish) {
                case WAITING -> releasedToWaiting(task, stimulusId);
                case FETCH -> releasedToFetch(task, stimulusId);
                case FORGOTTEN -> releasedToForgotten(task, stimulusId);
                default -> false;
            };
            case WAITING -> switch (finish) {
                case READY -> waitingToReady(task, stimulusId);
                case CONSTRAINED -> waitingToConstrained(task, stimulusId);
                case RELEASED -> waitingToReleased(task, stimulusId, reason);
                default -> false;
            };
            case READY -> finish == RELEASED && readyToReleased(task, stimulusId, reason);
            case CONSTRAINED -> finish == RELEASED && constrainedToReleased(task, stimulusId, reason);
            case EXECUTING -> finish == LONG_RUNNING ? executingToLongRunning(task, stimulusId)
                    : finish == RELEASED && executingToReleased(task, stimulusId, reason);
            case LONG_RUNNING -> finish == RELEASED && longRunningToReleased(task, stimulusId, reason);
            case FETCH -> finish == RELEASED && fetchToReleased(task, stimulusId, reason);
            case FLIGHT -> finish == MISSING ? flightToMissing(task, stimulusId)
                    : finish == RELEASED && flightToReleased(task, stimulusId, reason);
            case MISSING -> switch (finish) {
                case FETCH -> missingToFetch(task, stimulusId);
                case WAITING -> missingToWaiting(task, stimulusId);
                case RELEASED -> missingToReleased(task, stimulusId, reason);
                default -> false;
            };
            case MEMORY -> finish == RELEASED && memoryToReleased(task, stimulusId, reason);
            case ERROR -> finish == RELEASED && errorToReleased(task, stimulusId, reason);
            default -> false;
        };
        if (!done) {
            throw illegal(task, finish, stimulusId, "allowed, but not driven by this worker without a payload");
        }
    }

    // ---- one method per edge; each returns true so the dispatch above stays one expression ----

    boolean releasedToWaiting(WorkerTask task, String stimulusId) {
        return apply(task, RELEASED, WAITING, stimulusId);
    }

    boolean releasedToFetch(WorkerTask task, String stimulusId) {
        fetching.add(task);
        newlyFetching.add(task);
        return apply(task, RELEASED, FETCH, stimulusId);
    }

    boolean releasedToForgotten(WorkerTask task, String stimulusId) {
        return apply(task, RELEASED, FORGOTTEN, stimulusId);
    }

    boolean waitingToReady(WorkerTask task, String stimulusId) {
        ready.add(task);
        return apply(task, WAITING, READY, stimulusId);
    }

    boolean waitingToReleased(WorkerTask task, String stimulusId, String reason) {
        unlinkDependencies(task);
        return released(task, WAITING, stimulusId, reason);
    }

    boolean waitingToConstrained(WorkerTask task, String stimulusId) {
        constrained.add(task);
        return apply(task, WAITING, CONSTRAINED, stimulusId);
    }

    /** The caller has taken {@code task} off the ready queue. */
    boolean readyToExecuting(WorkerTask task, String stimulusId) {
        executing++;
        takeThread(task);
        return apply(task, READY, EXECUTING, stimulusId);
    }

    /** The caller has checked that the task's resources are free; the run holds them until it returns. */
    boolean constrainedToExecuting(WorkerTask task, String stimulusId) {
        constrained.remove(task);
        resources.acquire(task.resources);
        task.heldResources = task.resources;
        executing++;
        takeThread(task);
        return apply(task, CONSTRAINED, EXECUTING, stimulusId);
    }

    boolean constrainedToReleased(WorkerTask task, String stimulusId, String reason) {
        constrained.remove(task);
        unlinkDependencies(task);
        return released(task, CONSTRAINED, stimulusId, reason);
    }

    /** The run seceded: its thread no longer counts, so another task may start; resources stay held. */
    boolean executingToLongRunning(WorkerTask task, String stimulusId) {
        executing--;
        longRunning++;
        leaveThread(task);
        return apply(task, EXECUTING, LONG_RUNNING, stimulusId);
    }

    boolean longRunningToMemory(WorkerTask task, Object value, long startMillis, long stopMillis, String stimulusId) {
        longRunning--;
        return succeeded(task, LONG_RUNNING, value, startMillis, stopMillis, stimulusId);
    }

    boolean longRunningToError(WorkerTask task, String exceptionText, String traceback, long startMillis,
            long stopMillis, String stimulusId) {
        longRunning--;
        failed(task, exceptionText, traceback, startMillis, stopMillis);
        return apply(task, LONG_RUNNING, ERROR, stimulusId);
    }

    /** Like {@link #executingToReleased}: the seceded run goes on, orphaned, outside the pool. */
    boolean longRunningToReleased(WorkerTask task, String stimulusId, String reason) {
        longRunning--;
        return orphaned(task, LONG_RUNNING, stimulusId, reason);
    }

    boolean readyToReleased(WorkerTask task, String stimulusId, String reason) {
        ready.remove(task);
        unlinkDependencies(task);
        return released(task, READY, stimulusId, reason);
    }

    boolean executingToMemory(WorkerTask task, Object value, long startMillis, long stopMillis, String stimulusId) {
        executing--;
        return succeeded(task, EXECUTING, value, startMillis, stopMillis, stimulusId);
    }

    boolean executingToError(WorkerTask task, String exceptionText, String traceback, long startMillis,
            long stopMillis, String stimulusId) {
        executing--;
        failed(task, exceptionText, traceback, startMillis, stopMillis);
        return apply(task, EXECUTING, ERROR, stimulusId);
    }

    private boolean succeeded(WorkerTask task, WorkerTaskState start, Object value, long startMillis, long stopMillis,
            String stimulusId) {
        runReturned(task);
        task.compute = null;
        task.priority = TaskPriority.DEFAULT; // only orders ready tasks; a recompute brings its own
        hold(task, value);
        task.addStartstop("compute", startMillis, stopMillis, null);
        unlinkDependencies(task);
        apply(task, start, MEMORY, stimulusId);
        return dependencyArrived(task, stimulusId);
    }

    private void failed(WorkerTask task, String exceptionText, String traceback, long startMillis, long stopMillis) {
        runReturned(task);
        task.compute = null;
        task.priority = TaskPriority.DEFAULT;
        task.exceptionText = exceptionText;
        task.traceback = traceback;
        task.addStartstop("compute", startMillis, stopMillis, null);
        unlinkDependencies(task);
    }

    /** The executor thread stays busy: the run is orphaned until its result comes back. */
    boolean executingToReleased(WorkerTask task, String stimulusId, String reason) {
        executing--;
        return orphaned(task, EXECUTING, stimulusId, reason);
    }

    private boolean orphaned(WorkerTask task, WorkerTaskState start, String stimulusId, String reason) {
        task.orphanedRun = true;
        orphanedRuns++;
        task.compute = null;
        unlinkDependencies(task);
        return released(task, start, stimulusId, reason);
    }

    boolean fetchToFlight(WorkerTask task, String peer, String stimulusId) {
        fetching.remove(task);
        task.flightPeer = peer;
        return apply(task, FETCH, FLIGHT, stimulusId);
    }

    boolean fetchToReleased(WorkerTask task, String stimulusId, String reason) {
        fetching.remove(task);
        return released(task, FETCH, stimulusId, reason);
    }

    boolean flightToMemory(WorkerTask task, Object value, long startMillis, long stopMillis, String stimulusId) {
        task.addStartstop("transfer", startMillis, stopMillis, task.flightPeer);
        task.flightPeer = null;
        task.compute = null;
        hold(task, value);
        apply(task, FLIGHT, MEMORY, stimulusId);
        return dependencyArrived(task, stimulusId);
    }

    boolean flightToMissing(WorkerTask task, String stimulusId) {
        task.removePeer(task.flightPeer);
        task.flightPeer = null;
        return apply(task, FLIGHT, MISSING, stimulusId);
    }

    boolean flightToReleased(WorkerTask task, String stimulusId, String reason) {
        task.flightPeer = null;
        return released(task, FLIGHT, stimulusId, reason);
    }

    boolean missingToFetch(WorkerTask task, String stimulusId) {
        fetching.add(task);
        newlyFetching.add(task);
        return apply(task, MISSING, FETCH, stimulusId);
    }

    boolean missingToWaiting(WorkerTask task, String stimulusId) {
        return apply(task, MISSING, WAITING, stimulusId);
    }

    boolean missingToReleased(WorkerTask task, String stimulusId, String reason) {
        return released(task, MISSING, stimulusId, reason);
    }

    boolean memoryToReleased(WorkerTask task, String stimulusId, String reason) {
        task.value = null;
        task.holdsData = false;
        task.nbytes = -1;
        return released(task, MEMORY, stimulusId, reason);
    }

    boolean errorToReleased(WorkerTask task, String stimulusId, String reason) {
        task.exceptionText = null;
        task.traceback = null;
        return released(task, ERROR, stimulusId, reason);
    }

    // ---- shared steps ----

    /** Waiting dependents whose last missing dependency this was become ready. */
    private boolean dependencyArrived(WorkerTask task, String stimulusId) {
        for (WorkerTask dependent : task.dependents()) {
            if (dependent.state == WAITING) {
                dependent.waitingFor--;
                readyIfDependenciesPresent(dependent, stimulusId);
            }
        }
        return true;
    }

    /** A waiting task with all its dependencies here becomes ready, or constrained if it needs resources. */
    void readyIfDependenciesPresent(WorkerTask task, String stimulusId) {
        if (task.state == WAITING && task.waitingFor == 0 && !task.orphanedRun) {
            if (task.resources.isEmpty()) {
                waitingToReady(task, stimulusId);
            } else {
                waitingToConstrained(task, stimulusId);
            }
        }
    }

    void orphanedRunReturned(WorkerTask task) {
        task.orphanedRun = false;
        orphanedRuns--;
        runReturned(task);
    }

    // ---- threads and resources of a run ----

    private void takeThread(WorkerTask task) {
        task.holdsThread = true;
        threadsHeld++;
    }

    /** The run seceded (or seceded again after a rejoin): its thread leaves the pool's count. */
    void leaveThread(WorkerTask task) {
        if (task.holdsThread) {
            task.holdsThread = false;
            threadsHeld--;
        }
    }

    /** A seceded run takes a thread again (its rejoin was granted); its state does not change. */
    void rejoinThread(WorkerTask task) {
        rejoining.remove(task);
        if (!task.holdsThread) {
            takeThread(task);
        }
    }

    /** The run's function returned: its thread and resources are free again. */
    private void runReturned(WorkerTask task) {
        leaveThread(task);
        rejoining.remove(task);
        if (task.heldResources != null) {
            resources.release(task.heldResources);
            task.heldResources = null;
        }
    }

    /** The size of the result being held, as measured where it was produced (its encoded length); -1: estimate it. */
    long measuredNbytes = -1;

    private void hold(WorkerTask task, Object value) {
        task.value = value;
        task.holdsData = true;
        task.nbytes = measuredNbytes >= 0 ? measuredNbytes : Sizes.estimate(value);
    }

    private void unlinkDependencies(WorkerTask task) {
        task.waitingFor = 0;
        Set<WorkerTask> former = task.unlinkDependencies();
        if (!former.isEmpty()) { // addAll would iterate even an empty set: an iterator per task
            forgetCandidates.addAll(former);
        }
    }

    void considerForgetting(WorkerTask task) {
        forgetCandidates.add(task);
    }

    /** Like {@link #considerForgetting}, ahead of the candidates already queued (so a freed key goes before its dependencies). */
    void considerForgettingFirst(WorkerTask task) {
        forgetCandidates.addFirst(task);
    }

    /**
     * Releases and forgets every candidate that neither the scheduler nor a local dependent needs
     * and whose run is not orphaned. Iterative, so long chains do not deepen the stack.
     */
    void forgetUnneeded(String stimulusId) {
        WorkerTask task;
        while ((task = forgetCandidates.poll()) != null) {
            if (tasks.get(task.key()) != task || task.computeRequested || task.orphanedRun || task.hasDependents()) {
                continue;
            }
            switch (task.state) {
                case RELEASED -> releasedToForgotten(task, stimulusId);
                case MEMORY, FETCH, FLIGHT, MISSING, ERROR -> {
                    elementary(task, RELEASED, stimulusId, "no longer needed here");
                    releasedToForgotten(task, stimulusId);
                }
                default -> {
                    // waiting, ready, constrained, executing and long-running tasks belong to the scheduler
                }
            }
        }
    }

    private boolean released(WorkerTask task, WorkerTaskState start, String stimulusId, String reason) {
        apply(task, start, RELEASED, stimulusId);
        events.releaseKey(task, start, stimulusId, reason, false);
        return true;
    }

    private boolean apply(WorkerTask task, WorkerTaskState start, WorkerTaskState finish, String stimulusId) {
        if (task.state != start || !WorkerTransitionTable.allows(start, finish)) {
            throw illegal(task, finish, stimulusId, "edge " + start + " -> " + finish + " does not apply");
        }
        task.state = finish;
        story.add(task.key(), start.label(), finish.label(), stimulusId, clock.getAsLong());
        try {
            events.transition(task, start, finish, stimulusId);
        } finally {
            if (finish == FORGOTTEN) {
                tasks.remove(task.key());
            }
        }
        return true;
    }

    IllegalStateException illegal(WorkerTask task, WorkerTaskState finish, String stimulusId, String why) {
        return new IllegalStateException("Illegal worker transition of '" + task.key() + "' on " + address + ": "
                + task.state + " -> " + finish + " (" + why + "; stimulus " + stimulusId + "; allowed from "
                + task.state + ": " + WorkerTransitionTable.from(task.state) + ")\nstory of '" + task.key() + "':\n"
                + story.describe(task.key()));
    }
}
