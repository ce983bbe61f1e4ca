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
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.plugin.api.SchedulerTaskState;

/**
 * The scheduler's transition table and one method per edge. Each edge method applies the change,
 * adds follow-up recommendations and instructions, and returns the state actually reached.
 */
final class SchedulerTransitions {

    private static final Map<SchedulerTaskState, Set<SchedulerTaskState>> TABLE = new EnumMap<>(SchedulerTaskState.class);

    static {
        TABLE.put(RELEASED, EnumSet.of(WAITING, FORGOTTEN, ERRED));
        TABLE.put(WAITING, EnumSet.of(RELEASED, PROCESSING, NO_WORKER, QUEUED, MEMORY));
        TABLE.put(QUEUED, EnumSet.of(RELEASED, PROCESSING, ERRED));
        TABLE.put(PROCESSING, EnumSet.of(RELEASED, MEMORY, ERRED));
        TABLE.put(NO_WORKER, EnumSet.of(RELEASED, PROCESSING, ERRED));
        TABLE.put(MEMORY, EnumSet.of(RELEASED, FORGOTTEN, ERRED));
        TABLE.put(ERRED, EnumSet.of(RELEASED));
        TABLE.put(FORGOTTEN, EnumSet.noneOf(SchedulerTaskState.class));
    }

    private final SchedulerState s;

    SchedulerTransitions(SchedulerState state) {
        this.s = state;
    }

    static boolean allowed(SchedulerTaskState start, SchedulerTaskState finish) {
        return TABLE.get(start).contains(finish);
    }

    SchedulerTaskState apply(TaskState ts, SchedulerTaskState start, SchedulerTaskState finish) {
        return switch (start) {
            case RELEASED -> switch (finish) {
                case WAITING -> releasedWaiting(ts);
                case FORGOTTEN -> releasedForgotten(ts);
                case ERRED -> releasedErred(ts);
                default -> unsupported(ts, start, finish);
            };
            case WAITING -> switch (finish) {
                case PROCESSING -> toProcessing(ts);
                case RELEASED -> waitingReleased(ts);
                default -> unsupported(ts, start, finish);
            };
            case NO_WORKER -> switch (finish) {
                case PROCESSING -> toProcessing(ts);
                case RELEASED -> noWorkerReleased(ts);
                case ERRED -> noWorkerErred(ts);
                default -> unsupported(ts, start, finish);
            };
            case PROCESSING -> switch (finish) {
                case MEMORY -> processingMemory(ts);
                case ERRED -> processingErred(ts);
                case RELEASED -> processingReleased(ts);
                default -> unsupported(ts, start, finish);
            };
            case MEMORY -> switch (finish) {
                case RELEASED -> memoryReleased(ts);
                case FORGOTTEN -> memoryForgotten(ts);
                default -> unsupported(ts, start, finish);
            };
            case ERRED -> erredReleased(ts);
            default -> unsupported(ts, start, finish);
        };
    }

    private SchedulerTaskState unsupported(TaskState ts, SchedulerTaskState start, SchedulerTaskState finish) {
        throw new IllegalStateException("transition " + start + " -> " + finish + " of task '" + ts.key
                + "' is in the table but not implemented yet; story: " + s.story(ts.key));
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
            dep.waiters.add(ts);
            if (dep.state != MEMORY) {
                ts.waitingOn.add(dep);
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
            if (dep.dependents.isEmpty() && dep.whoWants.isEmpty()
                    && (dep.state == RELEASED || dep.state == MEMORY || dep.state == ERRED)) {
                s.recommend(dep, FORGOTTEN);
            }
        }
        for (String client : ts.whoWants) {
            s.wantsWhat.get(client).remove(ts);
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
        return ERRED;
    }

    // ---------------------------------------------------------------- waiting / no-worker ->

    private SchedulerTaskState toProcessing(TaskState ts) {
        WorkerRecord ws = decideWorker(ts);
        if (ws == null) {
            ts.state = NO_WORKER;
            s.unrunnable.add(ts);
            return NO_WORKER;
        }
        s.unrunnable.remove(ts);
        ts.state = PROCESSING;
        ts.processingOn = ws;
        ws.processing.add(ts);
        Map<String, Set<String>> whoHas;
        if (ts.dependencies.isEmpty()) {
            whoHas = Map.of();
        } else {
            whoHas = new HashMap<>(ts.dependencies.size() * 2);
            for (TaskState dep : ts.dependencies) {
                whoHas.put(dep.key, dep.whoHas());
            }
        }
        s.outbox.add(new SchedulerInstruction.ComputeTask(ws.address, ts.key, ts.function, ts.args, whoHas,
                ts.priority, Map.of(), s.stimulusId));
        return PROCESSING;
    }

    private SchedulerTaskState waitingReleased(TaskState ts) {
        ts.state = RELEASED;
        ts.waitingOn.clear();
        dropFromDependenciesUnlessNeeded(ts);
        forgetIfUnneeded(ts);
        return RELEASED;
    }

    private SchedulerTaskState noWorkerReleased(TaskState ts) {
        s.unrunnable.remove(ts);
        return waitingReleased(ts);
    }

    private SchedulerTaskState noWorkerErred(TaskState ts) {
        s.unrunnable.remove(ts);
        ts.waitingOn.clear();
        dropFromDependencies(ts);
        return releasedErred(ts);
    }

    // ---------------------------------------------------------------- processing ->

    private SchedulerTaskState processingMemory(TaskState ts) {
        WorkerRecord ws = ts.processingOn;
        ws.processing.remove(ts);
        ts.processingOn = null;
        ts.whoHas.add(ws);
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
        WorkerRecord ws = ts.processingOn;
        ws.processing.remove(ts);
        ts.processingOn = null;
        dropFromDependencies(ts);
        return releasedErred(ts);
    }

    private SchedulerTaskState processingReleased(TaskState ts) {
        WorkerRecord ws = ts.processingOn;
        ws.processing.remove(ts);
        ts.processingOn = null;
        if (s.workers.get(ws.address) == ws) {
            s.freeKey(ws, ts.key);
        }
        ts.state = RELEASED;
        dropFromDependenciesUnlessNeeded(ts);
        forgetIfUnneeded(ts);
        return RELEASED;
    }

    // ---------------------------------------------------------------- memory / erred ->

    private SchedulerTaskState memoryReleased(TaskState ts) {
        freeEverywhere(ts);
        ts.state = RELEASED;
        boolean dependentsNeedIt = false;
        for (TaskState dts : ts.dependents) {
            if (dts.state == PROCESSING || dts.state == NO_WORKER) {
                s.recommend(dts, WAITING);
                dependentsNeedIt = true;
            } else if (dts.state == WAITING) {
                dts.waitingOn.add(ts);
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
        ts.state = RELEASED;
        ts.exceptionText = null;
        ts.traceback = null;
        ts.exceptionBlame = null;
        for (TaskState dts : ts.dependents) {
            if (dts.state == ERRED) {
                s.recommend(dts, RELEASED);
            }
        }
        forgetIfUnneeded(ts);
        return RELEASED;
    }

    // ---------------------------------------------------------------- shared steps

    /** This task no longer needs its dependencies; release the ones nobody else needs. */
    private void dropFromDependencies(TaskState ts) {
        for (TaskState dep : ts.dependencies) {
            if (dep.waiters.remove(ts) && dep.waiters.isEmpty() && dep.whoWants.isEmpty() && dep.state == MEMORY) {
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

    private void freeEverywhere(TaskState ts) {
        for (WorkerRecord ws : ts.whoHas) {
            ws.hasWhat.remove(ts);
            ws.nbytes -= Math.max(0, ts.nbytes);
            if (s.workers.get(ws.address) == ws) {
                s.freeKey(ws, ts.key);
            }
        }
        ts.whoHas.clear();
    }

    private static void blame(TaskState ts, TaskState failedDependency) {
        TaskState origin = failedDependency.exceptionBlame == null ? failedDependency : failedDependency.exceptionBlame;
        ts.exceptionBlame = origin;
        ts.exceptionText = origin.exceptionText;
        ts.traceback = origin.traceback;
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

    /**
     * Picks a worker: the one holding the most bytes of the task's dependencies, else the least
     * loaded (tasks processing per thread). Issue-level scheduling policy lives here only.
     */
    private WorkerRecord decideWorker(TaskState ts) {
        WorkerRecord[] candidates = s.workerArray;
        if (candidates.length == 0) {
            return null;
        }
        WorkerRecord leastLoaded = leastLoaded(candidates);
        if (ts.dependencies.isEmpty()) {
            return leastLoaded;
        }
        Map<WorkerRecord, Long> held = new HashMap<>(4);
        for (TaskState dep : ts.dependencies) {
            for (WorkerRecord ws : dep.whoHas) {
                held.merge(ws, Math.max(1, dep.nbytes), Long::sum);
            }
        }
        WorkerRecord best = null;
        long bestBytes = 0;
        for (Map.Entry<WorkerRecord, Long> e : held.entrySet()) {
            WorkerRecord ws = e.getKey();
            long bytes = e.getValue();
            if (bytes > bestBytes || (bytes == bestBytes && ws.load() < best.load())) {
                best = ws;
                bestBytes = bytes;
            }
        }
        // data locality wins unless the holder is clearly busier than the least loaded worker
        if (best != null && best.load() <= 2.0 * leastLoaded.load() + 1) {
            return best;
        }
        return leastLoaded;
    }

    private static WorkerRecord leastLoaded(WorkerRecord[] candidates) {
        WorkerRecord best = candidates[0];
        for (int i = 1; i < candidates.length; i++) {
            if (candidates[i].load() < best.load()) {
                best = candidates[i];
            }
        }
        return best;
    }
}
