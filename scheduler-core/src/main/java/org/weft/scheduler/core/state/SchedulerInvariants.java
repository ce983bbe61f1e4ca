package org.weft.scheduler.core.state;

import static org.weft.plugin.api.SchedulerTaskState.ERRED;
import static org.weft.plugin.api.SchedulerTaskState.MEMORY;
import static org.weft.plugin.api.SchedulerTaskState.NO_WORKER;
import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;
import static org.weft.plugin.api.SchedulerTaskState.WAITING;

import java.util.Map;
import java.util.Set;

/** The validation mode: re-checks every invariant of {@link SchedulerState}. O(tasks); for tests. */
final class SchedulerInvariants {

    private SchedulerInvariants() {
    }

    static void check(SchedulerState s) {
        for (TaskState ts : s.tasks.values()) {
            checkTask(s, ts);
        }
        for (WorkerRecord ws : s.workers.values()) {
            for (TaskState ts : ws.processing) {
                require(ts.state == PROCESSING && ts.processingOn == ws, s, ts, "listed as processing on " + ws.address);
            }
            for (TaskState ts : ws.longRunning) {
                require(ws.processing.contains(ts), s, ts, "long-running on " + ws.address + " but not processing there");
            }
            for (TaskState ts : ws.hasWhat) {
                require(ts.state == MEMORY && ts.whoHas.contains(ws), s, ts, "listed in has-what of " + ws.address);
            }
        }
        for (TaskState ts : s.unrunnable) {
            require(ts.state == NO_WORKER, s, ts, "in the no-worker set");
        }
        for (Map.Entry<String, Set<TaskState>> e : s.wantsWhat.entrySet()) {
            for (TaskState ts : e.getValue()) {
                require(ts.whoWants.contains(e.getKey()) && s.tasks.get(ts.key) == ts, s, ts,
                        "wanted by " + e.getKey() + " but not wanting back or not known");
            }
        }
    }

    private static void checkTask(SchedulerState s, TaskState ts) {
        require(ts.state != org.weft.plugin.api.SchedulerTaskState.FORGOTTEN, s, ts, "forgotten but still known");
        require((ts.state == PROCESSING) == (ts.processingOn != null), s, ts, "processing-on does not match state");
        if (ts.processingOn != null) {
            require(ts.processingOn.processing.contains(ts) && s.workers.get(ts.processingOn.address) == ts.processingOn,
                    s, ts, "processing on a worker that does not list it or is gone");
        }
        require((ts.state == MEMORY) == !ts.whoHas.isEmpty(), s, ts, "who-has does not match state");
        require((ts.state == NO_WORKER) == s.unrunnable.contains(ts), s, ts, "no-worker set does not match state");
        if (ts.state == WAITING) {
            require(!ts.waitingOn.isEmpty(), s, ts, "waiting on nothing");
            for (TaskState dep : ts.dependencies) {
                require((dep.state != MEMORY) == ts.waitingOn.contains(dep), s, ts,
                        "waiting-on out of step with dependency '" + dep.key + "' (" + dep.state + ")");
            }
        }
        if (ts.state == PROCESSING || ts.state == NO_WORKER) {
            for (TaskState dep : ts.dependencies) {
                require(dep.state == MEMORY, s, ts, "runnable but dependency '" + dep.key + "' is " + dep.state);
            }
        }
        if (ts.state == ERRED) {
            require(ts.exceptionBlame != null, s, ts, "erred without blame");
        }
        for (TaskState dep : ts.dependencies) {
            require(dep.dependents.contains(ts) && s.tasks.get(dep.key) == dep, s, ts,
                    "dependency '" + dep.key + "' does not list it as dependent or is not known");
        }
        for (TaskState dts : ts.dependents) {
            require(s.tasks.get(dts.key) == dts, s, ts, "dependent '" + dts.key + "' is not known");
        }
        for (String client : ts.whoWants) {
            Set<TaskState> wants = s.wantsWhat.get(client);
            require(wants != null && wants.contains(ts), s, ts, "wanted by unknown client " + client);
        }
    }

    private static void require(boolean ok, SchedulerState s, TaskState ts, String what) {
        if (!ok) {
            throw new IllegalStateException("invariant broken for task '" + ts.key + "' (" + ts.state + "): " + what
                    + " [stimulus " + s.stimulusId + "]; story: " + s.story(ts.key));
        }
    }
}
