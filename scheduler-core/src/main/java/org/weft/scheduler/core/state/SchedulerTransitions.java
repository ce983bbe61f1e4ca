package org.weft.scheduler.core.state;

import static org.weft.plugin.api.SchedulerTaskState.ERRED;
import static org.weft.plugin.api.SchedulerTaskState.FORGOTTEN;
import static org.weft.plugin.api.SchedulerTaskState.MEMORY;
import static org.weft.plugin.api.SchedulerTaskState.NO_WORKER;
import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;
import static org.weft.plugin.api.SchedulerTaskState.QUEUED;
import static org.weft.plugin.api.SchedulerTaskState.RELEASED;
import static org.weft.plugin.api.SchedulerTaskState.WAITING;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;

/**
 * The scheduler's transition table and one method per edge. The table is the set of edges that
 * have a method ({@link #EDGES}), so an edge cannot be listed without one. Each edge method applies
 * the change, adds follow-up recommendations and instructions, and returns the state actually
 * reached.
 */
final class SchedulerTransitions {

    /** One edge's method. */
    @FunctionalInterface
    private interface Edge {
        SchedulerTaskState apply(SchedulerTransitions edges, TaskState ts);
    }

    private static final int STATES = SchedulerTaskState.values().length;
    /** {@code EDGES[start][finish]}: the method of that edge, or null where there is no edge. */
    private static final Edge[][] EDGES = new Edge[STATES][STATES];

    static {
        edge(RELEASED, WAITING, SchedulerTransitions::releasedWaiting);
        edge(RELEASED, FORGOTTEN, SchedulerTransitions::releasedForgotten);
        edge(RELEASED, ERRED, SchedulerTransitions::releasedErred);
        edge(WAITING, RELEASED, SchedulerTransitions::waitingReleased);
        edge(WAITING, PROCESSING, SchedulerTransitions::toProcessing);
        edge(WAITING, NO_WORKER, SchedulerTransitions::waitingNoWorker);
        edge(WAITING, QUEUED, SchedulerTransitions::waitingQueued);
        edge(WAITING, MEMORY, SchedulerTransitions::waitingMemory);
        edge(QUEUED, RELEASED, SchedulerTransitions::queuedReleased);
        edge(QUEUED, PROCESSING, SchedulerTransitions::queuedProcessing);
        edge(QUEUED, ERRED, SchedulerTransitions::queuedErred);
        edge(PROCESSING, RELEASED, SchedulerTransitions::processingReleased);
        edge(PROCESSING, MEMORY, SchedulerTransitions::processingMemory);
        edge(PROCESSING, ERRED, SchedulerTransitions::processingErred);
        edge(NO_WORKER, RELEASED, SchedulerTransitions::noWorkerReleased);
        edge(NO_WORKER, PROCESSING, SchedulerTransitions::toProcessing);
        edge(NO_WORKER, ERRED, SchedulerTransitions::noWorkerErred);
        // no memory -> erred: Dask takes it only for an actor whose worker died; Weft has no actors, and a
        // result lost with its workers is recomputed (memory -> released -> waiting)
        edge(MEMORY, RELEASED, SchedulerTransitions::memoryReleased);
        edge(MEMORY, FORGOTTEN, SchedulerTransitions::memoryForgotten);
        edge(ERRED, RELEASED, SchedulerTransitions::erredReleased);
    }

    private static void edge(SchedulerTaskState start, SchedulerTaskState finish, Edge method) {
        EDGES[start.ordinal()][finish.ordinal()] = method;
    }

    private final SchedulerState s;

    SchedulerTransitions(SchedulerState state) {
        this.s = state;
    }

    static boolean allowed(SchedulerTaskState start, SchedulerTaskState finish) {
        return EDGES[start.ordinal()][finish.ordinal()] != null;
    }

    SchedulerTaskState apply(TaskState ts, SchedulerTaskState start, SchedulerTaskState finish) {
        Edge method = EDGES[start.ordinal()][finish.ordinal()];
        if (method == null) {
            throw new IllegalStateException("transition " + start + " -> " + finish + " of task '" + ts.key
                    + "' is not an edge of the table; story: " + s.story(ts.key));
        }
        return method.apply(this, ts);
    }

    // ---------------------------------------------------------------- released ->

    private SchedulerTaskState releasedWaiting(TaskState ts) {
        for (TaskState dep : ts.dependencies) {
            if (dep.state == ERRED) {
                blame(ts, dep);
                return releasedErred(ts);
            }
        }
        ts.state = WAITING;
        ts.waitingOn.clear();
        for (TaskState dep : ts.dependencies) {
            dep.addWaiter(ts);
            if (dep.state != MEMORY) {
                ts.addWaitingOn(dep);
                if (dep.state == RELEASED) {
                    s.recommend(dep, WAITING);
                }
            }
        }
        if (ts.waitingOn.isEmpty()) {
            s.recommend(ts, PROCESSING);
        }
        return WAITING;
    }

    private SchedulerTaskState releasedForgotten(TaskState ts) {
        ts.state = FORGOTTEN;
        for (TaskState dep : ts.dependencies) {
            dep.dependents.remove(ts);
            dep.waiters.remove(ts);
            if (dep.dependents.isEmpty() && dep.whoWants.isEmpty()) {
                // whatever its state, as Dask: a dependency still running goes through released
                s.recommend(dep, FORGOTTEN);
            }
        }
        for (String client : ts.whoWants) {
            s.outbox.add(new SchedulerInstruction.ReportForgotten(client, ts.key, "forgotten"));
        }
        return FORGOTTEN;
    }

    private SchedulerTaskState releasedErred(TaskState ts) {
        ts.state = ERRED;
        if (ts.exceptionBlame == null) {
            ts.exceptionBlame = ts;
        }
        propagateError(ts);
        forgetIfUnneeded(ts); // a task nobody wants or depends on would be kept forever otherwise
        return ERRED;
    }

    // ---------------------------------------------------------------- waiting / no-worker ->

    /**
     * Waiting (or no-worker) to processing: a root-ish task with queuing on waits in queued until
     * a worker has a free slot; any other task goes to the best worker allowed to run it, or to
     * no-worker if there is none.
     */
    private SchedulerTaskState toProcessing(TaskState ts) {
        if (ts.state == WAITING && s.placement.shouldQueue(ts)) {
            WorkerRecord ws = s.placement.decideRootish(ts);
            return ws == null ? waitingQueued(ts) : sendTo(ts, ws);
        }
        WorkerRecord ws = s.placement.decide(ts);
        if (ws == null) {
            return waitingNoWorker(ts);
        }
        s.unrunnable.remove(ts);
        return sendTo(ts, ws);
    }

    /** No worker may run the task now; it runs when one joins that may (no-worker -> processing). */
    private SchedulerTaskState waitingNoWorker(TaskState ts) {
        ts.state = NO_WORKER;
        s.unrunnable.add(ts);
        return NO_WORKER;
    }

    /**
     * A worker reported a result of a waiting task: the scheduler had taken the task back from it
     * (an input was lost, or it was rescheduled) and told it to drop the key, but it finished
     * first. As Dask's {@code transition_waiting_memory}, the result is not taken (the worker is
     * dropping it) and the task keeps waiting: plugins see {@code waiting -> waiting}.
     */
    private SchedulerTaskState waitingMemory(TaskState ts) {
        return WAITING;
    }

    private SchedulerTaskState sendTo(TaskState ts, WorkerRecord ws) {
        ts.state = PROCESSING;
        s.placement.addProcessing(ts, ws);
        s.sendCompute(computeTask(ts, ws));
        return PROCESSING;
    }

    SchedulerInstruction.ComputeTask computeTask(TaskState ts, WorkerRecord ws) {
        Map<String, Set<String>> whoHas;
        if (ts.dependencies.isEmpty()) {
            whoHas = Map.of();
        } else {
            whoHas = new HashMap<>(ts.dependencies.size() * 2);
            for (TaskState dep : ts.dependencies) {
                whoHas.put(dep.key, dep.whoHas());
            }
        }
        ts.runId = ++s.runs;
        return new SchedulerInstruction.ComputeTask(ws.address, ts.key, ts.function, ts.args, whoHas, ts.priority(),
                ts.resources, s.stimulusId, ts.runId);
    }

    private SchedulerTaskState waitingQueued(TaskState ts) {
        ts.state = QUEUED;
        s.queued.add(ts);
        return QUEUED;
    }

    // ---------------------------------------------------------------- queued ->

    private SchedulerTaskState queuedProcessing(TaskState ts) {
        WorkerRecord ws = s.placement.decideRootish(ts);
        if (ws == null) {
            return QUEUED;
        }
        s.queued.remove(ts);
        return sendTo(ts, ws);
    }

    private SchedulerTaskState queuedReleased(TaskState ts) {
        s.queued.remove(ts);
        return waitingReleased(ts);
    }

    private SchedulerTaskState queuedErred(TaskState ts) {
        s.queued.remove(ts);
        return waitingErred(ts);
    }

    // ---------------------------------------------------------------- waiting / no-worker ->

    private SchedulerTaskState waitingReleased(TaskState ts) {
        ts.waitingOn.clear();
        return releasedBeforeMemory(ts);
    }

    private SchedulerTaskState noWorkerReleased(TaskState ts) {
        s.unrunnable.remove(ts);
        return waitingReleased(ts);
    }

    private SchedulerTaskState noWorkerErred(TaskState ts) {
        s.unrunnable.remove(ts);
        return waitingErred(ts);
    }

    /** A task that was waiting (or queued, or had no worker) errs: it no longer waits on its inputs. */
    private SchedulerTaskState waitingErred(TaskState ts) {
        ts.waitingOn.clear();
        dropFromDependencies(ts);
        return releasedErred(ts);
    }

    // ---------------------------------------------------------------- processing ->

    private SchedulerTaskState processingMemory(TaskState ts) {
        WorkerRecord ws = ts.processingOn;
        s.placement.recordRoundTrip(ts, ws);
        s.placement.removeProcessing(ts);
        s.placement.recordDuration(ts);
        ts.addHolder(ws);
        ws.hasWhat.add(ts);
        ws.nbytes += Math.max(0, ts.nbytes);
        ts.state = MEMORY;
        for (TaskState dts : ts.dependents) {
            if (dts.state == WAITING && dts.waitingOn.remove(ts) && dts.waitingOn.isEmpty()) {
                s.recommend(dts, PROCESSING);
            }
        }
        dropFromDependencies(ts);
        for (String client : ts.whoWants) {
            s.outbox.add(new SchedulerInstruction.ReportMemory(client, ts.key));
        }
        if (ts.whoWants.isEmpty() && ts.waiters.isEmpty()) {
            s.recommend(ts, RELEASED);
        }
        return MEMORY;
    }

    private SchedulerTaskState processingErred(TaskState ts) {
        ts.erredOn = ts.processingOn;
        s.placement.removeProcessing(ts);
        dropFromDependencies(ts);
        return releasedErred(ts);
    }

    private SchedulerTaskState processingReleased(TaskState ts) {
        WorkerRecord ws = ts.processingOn;
        s.placement.removeProcessing(ts);
        if (s.workers.get(ws.address) == ws) {
            s.freeKey(ws, ts.key);
        }
        return releasedBeforeMemory(ts);
    }

    /**
     * The common end of releasing a task that never reached memory (waiting, queued, no-worker,
     * processing): its inputs go unless it still needs them, it is forgotten if nothing needs it,
     * and it waits again if something still does.
     */
    private SchedulerTaskState releasedBeforeMemory(TaskState ts) {
        ts.state = RELEASED;
        dropFromDependenciesUnlessNeeded(ts);
        forgetIfUnneeded(ts);
        waitAgainIfNeeded(ts);
        return RELEASED;
    }

    // ---------------------------------------------------------------- memory / erred ->

    private SchedulerTaskState memoryReleased(TaskState ts) {
        freeEverywhere(ts);
        ts.state = RELEASED;
        boolean dependentsNeedIt = false;
        for (TaskState dts : ts.dependents) {
            if (dts.state == PROCESSING || dts.state == NO_WORKER || dts.state == QUEUED) {
                s.recommend(dts, WAITING);
                dependentsNeedIt = true;
            } else if (dts.state == WAITING) {
                dts.addWaitingOn(ts);
                dependentsNeedIt = true;
            }
        }
        if (!ts.whoWants.isEmpty() || dependentsNeedIt) {
            s.recommend(ts, WAITING);
        } else {
            forgetIfUnneeded(ts);
        }
        return RELEASED;
    }

    private SchedulerTaskState memoryForgotten(TaskState ts) {
        freeEverywhere(ts);
        ts.state = RELEASED;
        return releasedForgotten(ts);
    }

    private SchedulerTaskState erredReleased(TaskState ts) {
        WorkerRecord ws = ts.erredOn;
        if (ws != null && s.workers.get(ws.address) == ws) {
            s.freeKey(ws, ts.key); // as Dask's free-keys to erred_on: else the worker keeps the error forever
        }
        ts.erredOn = null;
        ts.state = RELEASED;
        ts.exceptionText = null;
        ts.traceback = null;
        ts.exceptionBlame = null;
        for (TaskState dts : ts.dependents) {
            if (dts.state == ERRED) {
                // a dependent still wanted runs again (as Dask's erred -> released); else it is released
                s.recommend(dts, dts.whoWants.isEmpty() ? RELEASED : WAITING);
            }
        }
        forgetIfUnneeded(ts);
        return RELEASED;
    }

    // ---------------------------------------------------------------- shared steps

    /**
     * This task no longer needs its dependencies; release the ones nobody else needs, also those
     * still waiting or running (as Dask does), so released work is not computed for nothing.
     */
    private void dropFromDependencies(TaskState ts) {
        for (TaskState dep : ts.dependencies) {
            if (dep.waiters.remove(ts) && dep.waiters.isEmpty() && dep.whoWants.isEmpty() && dep.state != RELEASED
                    && dep.state != ERRED) {
                s.recommend(dep, RELEASED);
            }
        }
    }

    /** Like {@link #dropFromDependencies}, but a task that is still wanted keeps its inputs (it will run again). */
    private void dropFromDependenciesUnlessNeeded(TaskState ts) {
        if (ts.whoWants.isEmpty() && ts.waiters.isEmpty()) {
            dropFromDependencies(ts);
        }
    }

    private void forgetIfUnneeded(TaskState ts) {
        if (ts.whoWants.isEmpty() && ts.dependents.isEmpty()) {
            s.recommend(ts, FORGOTTEN);
        }
    }

    /**
     * A task released while a client or a dependent still needs it goes back to waiting, as Dask's
     * {@code transition_waiting_released} and {@code transition_processing_released} do. A release
     * recommended earlier in the stimulus can arrive after a dependent has started waiting on the
     * task again (an input lost with a worker is recomputed); without this, both would wait forever.
     */
    private void waitAgainIfNeeded(TaskState ts) {
        if (ts.exceptionBlame == null && (!ts.whoWants.isEmpty() || !ts.waiters.isEmpty())) {
            s.recommend(ts, WAITING);
        }
    }

    private void freeEverywhere(TaskState ts) {
        for (WorkerRecord ws : ts.whoHas) {
            ws.hasWhat.remove(ts);
            ws.nbytes -= Math.max(0, ts.nbytes);
            if (s.workers.get(ws.address) == ws) {
                s.freeKey(ws, ts.key);
            }
        }
        ts.clearHolders();
    }

    private static void blame(TaskState ts, TaskState failedDependency) {
        TaskState origin = failedDependency.exceptionBlame == null ? failedDependency : failedDependency.exceptionBlame;
        ts.exceptionBlame = origin;
        // the dependency's copy: the origin may have been released (and its text cleared) meanwhile
        ts.exceptionText = failedDependency.exceptionText;
        ts.traceback = failedDependency.traceback;
    }

    /** Tell wanting clients, and err every dependent that has not finished. */
    private void propagateError(TaskState ts) {
        for (String client : ts.whoWants) {
            s.outbox.add(s.erredReport(client, ts));
        }
        List<TaskState> dependents = new ArrayList<>(ts.dependents);
        for (TaskState dts : dependents) {
            if (dts.state != ERRED && dts.state != MEMORY && dts.state != FORGOTTEN) {
                blame(dts, ts);
                s.recommend(dts, ERRED);
            }
        }
    }
}
