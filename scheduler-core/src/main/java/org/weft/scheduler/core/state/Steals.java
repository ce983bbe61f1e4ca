package org.weft.scheduler.core.state;

import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.WorkerTaskState;

/**
 * The scheduler's side of work stealing (the policy is a plugin: {@code stealing.WorkStealing}):
 * steals asked for during a stimulus are sent to their victims at its end; a victim that had not
 * started the task releases it and the task moves to the thief, with no transition (it stays
 * processing, as in Dask) but a line in its story.
 */
final class Steals {

    private final SchedulerState s;
    /** A steal asked for and not answered yet: the thief, and the stimulus that asked, which the victim's answer names. */
    record Pending(WorkerRecord thief, String stimulusId) {
    }

    /** Steals asked for and not answered yet, per task. */
    final Map<TaskState, Pending> inFlight = new HashMap<>();
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
        inFlight.put(ts, new Pending(to, null)); // the stimulus id once sent
        toSend.add(ts);
        return true;
    }

    /** Sends the steal requests of this stimulus to their victims. */
    void send() {
        if (toSend.isEmpty()) {
            return;
        }
        for (TaskState ts : toSend) {
            Pending pending = inFlight.get(ts);
            if (ts.state == PROCESSING && pending != null) {
                inFlight.put(ts, new Pending(pending.thief(), s.stimulusId));
                s.outbox.add(new SchedulerInstruction.StealRequest(ts.processingOn.address, ts.key, s.stimulusId));
            } else {
                inFlight.remove(ts);
            }
        }
        toSend.clear();
    }

    /**
     * The thief of the pending steal of {@code key} that {@code stimulusId} asked for, forgotten
     * now; null if none is pending. An answer to an earlier request (the task was moved back to
     * the victim and asked for again meanwhile) is stale, as Dask's {@code stale-response}: taking
     * it would drop the pending steal, and the victim's answer to that one would then be ignored.
     */
    WorkerRecord answered(String key, String stimulusId) {
        TaskState ts = s.tasks.get(key);
        Pending pending = ts == null ? null : inFlight.get(ts);
        if (pending == null || !java.util.Objects.equals(pending.stimulusId(), stimulusId)) {
            return null;
        }
        inFlight.remove(ts);
        return pending.thief();
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
