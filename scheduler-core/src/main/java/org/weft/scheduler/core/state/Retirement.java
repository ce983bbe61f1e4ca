package org.weft.scheduler.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.node.SchedulerInstruction;
import org.weft.protocol.RetireOutcome;

/**
 * Retiring workers, after Dask's {@code retire_workers} with the {@code RetireWorker} policy: a
 * retiring worker is marked closing-gracefully (it gets no new tasks); each result only it holds
 * is copied to a running worker ({@link SchedulerInstruction.AcquireReplicas}, the worker with the
 * fewest bytes first); once it holds no unique result and runs nothing it is told to close
 * ({@link SchedulerInstruction.CloseWorker}) and removed as an expected departure (its tasks are
 * not suspicious). If no running worker can take its data the retirement fails and the worker goes
 * back to running, as Dask leaves a worker whose data has no recipient.
 *
 * <p>Progress is checked after every stimulus ({@link #check}), so a replica landing, a task
 * finishing or a recipient leaving moves the retirement on without a timer.
 */
final class Retirement {

    private final SchedulerState s;
    /** Each retiring worker with the copies asked for it: key → recipient. */
    private final Map<WorkerRecord, Map<TaskState, WorkerRecord>> retiring = new LinkedHashMap<>();
    private List<RetireOutcome> outcomes = new ArrayList<>();

    Retirement(SchedulerState state) {
        this.s = state;
    }

    boolean active() {
        return !retiring.isEmpty();
    }

    /** Starts retiring these workers; unknown ones get a "not retired" outcome at once. */
    void start(Collection<String> addresses) {
        for (String address : addresses) {
            WorkerRecord ws = s.workers.get(address);
            if (ws == null) {
                outcomes.add(RetireOutcome.notRetired(address, "no worker '" + address + "'"));
            } else if (!retiring.containsKey(ws)) {
                ws.closingGracefully = true;
                retiring.put(ws, new LinkedHashMap<>());
            }
        }
        s.refreshRunningWorkers();
    }

    /**
     * Moves every retirement on: asks for copies still needed, closes the workers that are done,
     * gives up on those whose data has nowhere to go.
     *
     * @return whether a worker was closed or returned to running (recommendations may be pending)
     */
    boolean check() {
        boolean changed = false;
        Map<WorkerRecord, Map<String, Set<String>>> asks = null;
        Map<WorkerRecord, Long> planned = new HashMap<>();
        for (Iterator<Map.Entry<WorkerRecord, Map<TaskState, WorkerRecord>>> it = retiring.entrySet().iterator();
                it.hasNext();) {
            Map.Entry<WorkerRecord, Map<TaskState, WorkerRecord>> e = it.next();
            WorkerRecord ws = e.getKey();
            Map<TaskState, WorkerRecord> moves = e.getValue();
            if (s.workers.get(ws.address) != ws) {
                it.remove();
                outcomes.add(RetireOutcome.notRetired(ws.address, "the worker left before it could be retired"));
                continue;
            }
            List<TaskState> unique = uniqueResults(ws);
            if (unique.isEmpty() && ws.processing.isEmpty()) {
                it.remove();
                close(ws, moves);
                changed = true;
                continue;
            }
            for (TaskState ts : unique) {
                WorkerRecord target = moves.get(ts);
                if (target != null && isRunning(target)) {
                    continue; // copy already asked for
                }
                target = recipient(planned);
                if (target == null) {
                    it.remove();
                    abort(ws, unique.size());
                    changed = true;
                    break;
                }
                moves.put(ts, target);
                planned.merge(target, Math.max(1, ts.nbytes), Long::sum);
                if (asks == null) {
                    asks = new LinkedHashMap<>();
                }
                asks.computeIfAbsent(target, t -> new LinkedHashMap<>()).put(ts.key, ts.whoHas());
            }
        }
        if (asks != null) {
            asks.forEach((target, whoHas) -> s.outbox.add(
                    new SchedulerInstruction.AcquireReplicas(target.address, whoHas, s.stimulusId)));
        }
        return changed;
    }

    /**
     * Whether a copy of {@code ts} was asked of {@code ws} for a retirement under way: only then is
     * a worker's report of a result already in memory elsewhere a new replica. Any other such report
     * is stale (sent before the worker dropped the key when the scheduler told it to).
     */
    boolean replicaAsked(TaskState ts, WorkerRecord ws) {
        for (Map<TaskState, WorkerRecord> moves : retiring.values()) {
            if (moves.get(ts) == ws) {
                return true;
            }
        }
        return false;
    }

    /** Outcomes decided since the last call, oldest first. */
    List<RetireOutcome> drainOutcomes() {
        if (outcomes.isEmpty()) {
            return List.of();
        }
        List<RetireOutcome> out = outcomes;
        outcomes = new ArrayList<>();
        return out;
    }

    /** Results on {@code ws} that no running worker holds too. */
    private List<TaskState> uniqueResults(WorkerRecord ws) {
        List<TaskState> unique = new ArrayList<>();
        for (TaskState ts : ws.hasWhat) {
            boolean elsewhere = false;
            for (WorkerRecord holder : ts.whoHas) {
                if (holder != ws && isRunning(holder)) {
                    elsewhere = true;
                    break;
                }
            }
            if (!elsewhere) {
                unique.add(ts);
            }
        }
        return unique;
    }

    private boolean isRunning(WorkerRecord ws) {
        return !ws.closingGracefully && s.workers.get(ws.address) == ws;
    }

    /** The running worker with the fewest bytes held and already planned to receive. */
    private WorkerRecord recipient(Map<WorkerRecord, Long> planned) {
        WorkerRecord best = null;
        long bestBytes = Long.MAX_VALUE;
        for (WorkerRecord ws : s.workers.values()) {
            if (ws.closingGracefully) {
                continue;
            }
            long bytes = ws.nbytes + planned.getOrDefault(ws, 0L);
            if (bytes < bestBytes) {
                best = ws;
                bestBytes = bytes;
            }
        }
        return best;
    }

    private void close(WorkerRecord ws, Map<TaskState, WorkerRecord> moves) {
        Map<String, String> movedTo = new LinkedHashMap<>();
        moves.forEach((ts, target) -> {
            if (ts.whoHas.contains(target)) {
                movedTo.put(ts.key, target.address);
            }
        });
        s.outbox.add(new SchedulerInstruction.CloseWorker(ws.address, "retired", s.stimulusId));
        s.dropWorker(ws, true);
        s.events.workerRemoved(ws, s.stimulusId);
        outcomes.add(RetireOutcome.retired(ws.address, movedTo));
    }

    private void abort(WorkerRecord ws, int uniqueCount) {
        ws.closingGracefully = false;
        s.refreshRunningWorkers();
        s.recommendUnrunnable();
        outcomes.add(RetireOutcome.notRetired(ws.address, "no other running worker can take its " + uniqueCount
                + " unique result" + (uniqueCount == 1 ? "" : "s") + "; the worker keeps running"));
    }
}
