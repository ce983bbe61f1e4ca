package org.weft.scheduler.core.worker;

import static org.weft.plugin.api.WorkerTaskState.ERROR;
import static org.weft.plugin.api.WorkerTaskState.EXECUTING;
import static org.weft.plugin.api.WorkerTaskState.FETCH;
import static org.weft.plugin.api.WorkerTaskState.FLIGHT;
import static org.weft.plugin.api.WorkerTaskState.FORGOTTEN;
import static org.weft.plugin.api.WorkerTaskState.MEMORY;
import static org.weft.plugin.api.WorkerTaskState.MISSING;
import static org.weft.plugin.api.WorkerTaskState.READY;
import static org.weft.plugin.api.WorkerTaskState.RELEASED;
import static org.weft.plugin.api.WorkerTaskState.WAITING;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import org.weft.plugin.api.Startstop;
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
    final Map<String, WorkerTask> tasks = new HashMap<>();
    final PriorityQueue<WorkerTask> ready = new PriorityQueue<>(WorkerTask.READY_ORDER);
    final Set<WorkerTask> fetching = new LinkedHashSet<>();
    /** Tasks that may have become unneeded; {@link #forgetUnneeded} decides. */
    private final ArrayDeque<WorkerTask> forgetCandidates = new ArrayDeque<>();
    int executing;
    int orphanedRuns;
    /**
     * A peer became free since the last gather round: every fetching task must be looked at. (After
     * a round, every task still fetching has all its peers busy, so otherwise only new ones need a look.)
     */
    boolean fetchPending;
    /** Tasks that entered fetch since the last gather round. */
    final List<WorkerTask> newlyFetching = new ArrayList<>();

    WorkerTransitions(String address, WorkerEvents events, int storyCapacity) {
        this.address = address;
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
            case WAITING -> finish == READY ? waitingToReady(task, stimulusId)
                    : finish == RELEASED && waitingToReleased(task, stimulusId, reason);
            case READY -> finish == RELEASED && readyToReleased(task, stimulusId, reason);
            case EXECUTING -> finish == RELEASED && executingToReleased(task, stimulusId, reason);
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

    /** The caller has taken {@code task} off the ready queue. */
    boolean readyToExecuting(WorkerTask task, String stimulusId) {
        executing++;
        return apply(task, READY, EXECUTING, stimulusId);
    }

    boolean readyToReleased(WorkerTask task, String stimulusId, String reason) {
        ready.remove(task);
        unlinkDependencies(task);
        return released(task, READY, stimulusId, reason);
    }

    boolean executingToMemory(WorkerTask task, Object value, long startMillis, long stopMillis, String stimulusId) {
        executing--;
        task.compute = null;
        hold(task, value);
        task.addStartstop(new Startstop("compute", startMillis, stopMillis, null));
        unlinkDependencies(task);
        apply(task, EXECUTING, MEMORY, stimulusId);
        return dependencyArrived(task, stimulusId);
    }

    boolean executingToError(WorkerTask task, String exceptionText, String traceback, long startMillis,
            long stopMillis, String stimulusId) {
        executing--;
        task.compute = null;
        task.exceptionText = exceptionText;
        task.traceback = traceback;
        task.addStartstop(new Startstop("compute", startMillis, stopMillis, null));
        unlinkDependencies(task);
        return apply(task, EXECUTING, ERROR, stimulusId);
    }

    /** The executor thread stays busy: the run is orphaned until its result comes back. */
    boolean executingToReleased(WorkerTask task, String stimulusId, String reason) {
        executing--;
        task.orphanedRun = true;
        orphanedRuns++;
        task.compute = null;
        unlinkDependencies(task);
        return released(task, EXECUTING, stimulusId, reason);
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
        task.addStartstop(new Startstop("transfer", startMillis, stopMillis, task.flightPeer));
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

    void readyIfDependenciesPresent(WorkerTask task, String stimulusId) {
        if (task.state == WAITING && task.waitingFor == 0 && !task.orphanedRun) {
            waitingToReady(task, stimulusId);
        }
    }

    void orphanedRunReturned(WorkerTask task) {
        task.orphanedRun = false;
        orphanedRuns--;
    }

    private void hold(WorkerTask task, Object value) {
        task.value = value;
        task.holdsData = true;
        task.nbytes = Sizes.estimate(value);
    }

    private void unlinkDependencies(WorkerTask task) {
        task.waitingFor = 0;
        forgetCandidates.addAll(task.unlinkDependencies());
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
                    // waiting, ready and executing tasks belong to the scheduler
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
        story.add(task.key(), start.label(), finish.label(), stimulusId, System.currentTimeMillis());
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
