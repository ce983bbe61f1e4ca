package org.weft.scheduler.core.state;

import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.weft.plugin.api.WorkerTaskState;

/**
 * The scheduler's side of work stealing (the policy is a plugin: {@code stealing.WorkStealing}):
 * steals asked for during a stimulus are sent to their victims at its end; a victim that had not
 * started the task releases it and the task moves to the thief, with no transition (it stays
 * processing, as in Dask) but a line in its story.
 */
final class Steals {

    private final SchedulerState s;
    /** Steals asked for and not answered yet: task → thief. */
    final Map<TaskState, WorkerRecord> inFlight = new HashMap<>();
    private final List<TaskState> toSend = new ArrayList<>();

    Steals(SchedulerState state) {
        this.s = state;
    }

    /** Records a steal to send at the end of the stimulus; false if it cannot happen. */
    boolean request(String key, String thief) {
        TaskState ts = s.tasks.get(key);
        WorkerRecord to = s.workers.get(thief);
        if (ts == null || to == null || ts.state != PROCESSING || ts.processingOn == to || ts.longRunning
                || inFlight.containsKey(ts) || !s.placement.allowed(ts, to)) {
            return false;
        }
        inFlight.put(ts, to);
        toSend.add(ts);
        return true;
    }

    /** Sends the steal requests of this stimulus to their victims. */
    void send() {
        if (toSend.isEmpty()) {
            return;
        }
        for (TaskState ts : toSend) {
            if (ts.state == PROCESSING && inFlight.containsKey(ts)) {
                s.outbox.add(new SchedulerInstruction.StealRequest(ts.processingOn.address, ts.key, s.stimulusId));
            } else {
                inFlight.remove(ts);
            }
        }
        toSend.clear();
    }

    /** The thief a steal of {@code key} was asked for, forgotten now; null if none is pending. */
    WorkerRecord answered(String key) {
        TaskState ts = s.tasks.get(key);
        return ts == null ? null : inFlight.remove(ts);
    }

    /**
     * Applies the victim's answer: a task still waiting, ready or constrained there was released by
     * the victim and is sent to the thief (or back to the victim, if the thief left or may no longer
     * run it); any other answer means it started or finished there, and nothing changes.
     */
    void apply(TaskState ts, WorkerRecord thief, String victim, WorkerTaskState stateThere) {
        boolean releasedThere = stateThere == WorkerTaskState.WAITING || stateThere == WorkerTaskState.READY
                || stateThere == WorkerTaskState.CONSTRAINED;
        if (!releasedThere || ts.state != PROCESSING || !ts.processingOn.address.equals(victim)) {
            return;
        }
        WorkerRecord to = s.workers.get(thief.address) == thief && s.placement.allowed(ts, thief) ? thief : ts.processingOn;
        s.placement.removeProcessing(ts);
        s.placement.addProcessing(ts, to);
        s.sendCompute(s.edges.computeTask(ts, to));
        s.log.add(ts.key, "processing", "processing", s.stimulusId + " (steal " + victim + " -> " + to.address + ")",
                s.stimulusMillis);
    }
}
