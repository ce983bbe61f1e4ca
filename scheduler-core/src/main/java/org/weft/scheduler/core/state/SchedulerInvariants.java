package org.weft.scheduler.core.state;

import static org.weft.plugin.api.SchedulerTaskState.ERRED;
import static org.weft.plugin.api.SchedulerTaskState.MEMORY;
import static org.weft.plugin.api.SchedulerTaskState.NO_WORKER;
import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;
import static org.weft.plugin.api.SchedulerTaskState.QUEUED;
import static org.weft.plugin.api.SchedulerTaskState.WAITING;

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
            for (TaskState ts : ws.hasWhat) {
                require(ts.state == MEMORY && ts.whoHas.contains(ws), s, ts, "listed in has-what of " + ws.address);
            }
            checkRoundTrip(s, ws);
        }
        for (TaskState ts : s.unrunnable) {
            require(ts.state == NO_WORKER, s, ts, "in the no-worker set");
        }
        for (TaskState ts : s.queued) {
            require(ts.state == QUEUED && s.tasks.get(ts.key) == ts, s, ts, "in the queued set");
        }
        checkOccupancy(s);
        checkGroupCounts(s);
    }

    /**
     * The worker's round-trip probe is one of its processing tasks, its round trip is unmeasured
     * (negative) or a finite number of seconds, and its slots for the best queued task's group lie
     * between Dask's and the cap.
     */
    private static void checkRoundTrip(SchedulerState s, WorkerRecord ws) {
        if (ws.probe != null) {
            require(ws.processing.contains(ws.probe), s, ws.probe, "round-trip probe of " + ws.address + " not processing there");
        }
        if (!(ws.roundTrip < 0 || Double.isFinite(ws.roundTrip))) {
            throw new IllegalStateException("worker " + ws.address + " round trip " + ws.roundTrip + " [stimulus "
                    + s.stimulusId + "]");
        }
        double saturation = s.config.workerSaturation();
        if (Double.isFinite(saturation)) {
            TaskState first = s.queued.first();
            int slots = s.placement.slots(ws, first == null ? null : first.group);
            int base = Math.max((int) Math.ceil(saturation * ws.nthreads), 1);
            int cap = Math.max(base, Placement.ROUND_TRIP_SLOTS_PER_THREAD * ws.nthreads);
            if (slots < base || slots > cap) {
                throw new IllegalStateException("worker " + ws.address + " has " + slots + " slots, outside " + base + ".."
                        + cap + " [stimulus " + s.stimulusId + "]");
            }
        }
    }

    /** Each task group's counts by state are those of its tasks. */
    private static void checkGroupCounts(SchedulerState s) {
        java.util.Map<TaskGroup, int[]> counted = new java.util.HashMap<>();
        for (TaskState ts : s.tasks.values()) {
            counted.computeIfAbsent(ts.group, g -> new int[g.byState.length])[ts.state.ordinal()]++;
        }
        for (TaskGroup g : s.groups.values()) {
            int[] want = counted.getOrDefault(g, new int[g.byState.length]);
            for (org.weft.plugin.api.SchedulerTaskState state : org.weft.plugin.api.SchedulerTaskState.values()) {
                if (state != org.weft.plugin.api.SchedulerTaskState.FORGOTTEN && g.byState[state.ordinal()] != want[state.ordinal()]) {
                    throw new IllegalStateException("task group " + g.name + " counts " + g.byState[state.ordinal()] + " "
                            + state + " tasks, it has " + want[state.ordinal()] + " [stimulus " + s.stimulusId + "]");
                }
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
        require((ts.state == QUEUED) == s.queued.contains(ts), s, ts, "queued set does not match state");
        if (ts.state == QUEUED) {
            // queuing turned off at run time leaves tasks queued only while no worker takes work
            require(s.config.queuing() || s.placement.openSlots() == 0, s, ts, "queued while queuing is off");
        }
        if (ts.state == WAITING) {
            require(!ts.waitingOn.isEmpty(), s, ts, "waiting on nothing");
            for (TaskState dep : ts.dependencies) {
                require((dep.state != MEMORY) == ts.waitingOn.contains(dep), s, ts,
                        "waiting-on out of step with dependency '" + dep.key + "' (" + dep.state + ")");
            }
        }
        if (ts.state == PROCESSING || ts.state == NO_WORKER || ts.state == QUEUED) {
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
            require(s.clients.contains(client), s, ts, "wanted by unknown client " + client);
        }
    }

    /** Each worker's occupancy is the sum of its tasks' costs; the total is the sum over workers. */
    private static void checkOccupancy(SchedulerState s) {
        double total = 0;
        int threads = 0;
        for (WorkerRecord ws : s.workers.values()) {
            double sum = 0;
            int longRunning = 0;
            for (TaskState ts : ws.processing) {
                sum += ts.occupancyCost;
                longRunning += ts.longRunning ? 1 : 0;
            }
            if (Math.abs(sum - ws.occupancy) > 1e-6 * Math.max(1, sum) || longRunning != ws.longRunning) {
                throw new IllegalStateException("worker " + ws.address + " occupancy " + ws.occupancy
                        + " (long-running " + ws.longRunning + ") does not match its tasks: " + sum + " ("
                        + longRunning + ") [stimulus " + s.stimulusId + "]");
            }
            total += ws.occupancy;
            threads += ws.nthreads;
        }
        if (Math.abs(total - s.placement.totalOccupancy) > 1e-6 * Math.max(1, total)
                || threads != s.placement.totalNthreads) {
            throw new IllegalStateException("total occupancy " + s.placement.totalOccupancy + " / threads "
                    + s.placement.totalNthreads + " do not match the workers: " + total + " / " + threads
                    + " [stimulus " + s.stimulusId + "]");
        }
    }

    private static void require(boolean ok, SchedulerState s, TaskState ts, String what) {
        if (!ok) {
            throw new IllegalStateException("invariant broken for task '" + ts.key + "' (" + ts.state + "): " + what
                    + " [stimulus " + s.stimulusId + "]; story: " + s.story(ts.key));
        }
    }
}
