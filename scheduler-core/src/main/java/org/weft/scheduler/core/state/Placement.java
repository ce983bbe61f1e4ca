package org.weft.scheduler.core.state;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.weft.plugin.api.Startstop;

/**
 * Where tasks run, as Dask decides it: which workers may run a task (restrictions, resources),
 * which one should (earliest expected start), whether a root-ish task waits on the scheduler
 * ({@code queued}) instead, and the bookkeeping this needs: each worker's occupancy, the idle and
 * saturated sets, and task durations per group. Part of the pure state machine; only
 * {@link SchedulerState} and {@link SchedulerTransitions} call it.
 */
final class Placement {

    /**
     * The most root-ish tasks a worker takes per thread when its round trip is far longer than the
     * tasks (see {@link #slots}): bounds what sits on a worker beyond Dask's slots.
     */
    static final int ROUND_TRIP_SLOTS_PER_THREAD = 32;
    /** Weight of a new round-trip sample in a worker's moving average. */
    private static final double ROUND_TRIP_WEIGHT = 0.2;

    private final SchedulerState s;
    /** Dask's {@code idle} and {@code saturated} sets, by address (so plugins get a live view of the names). */
    final Map<String, WorkerRecord> idle = new LinkedHashMap<>();
    final Map<String, WorkerRecord> saturated = new LinkedHashMap<>();
    int totalNthreads;
    double totalOccupancy;
    /** A worker may have room for queued tasks again; checked at the end of the stimulus. */
    boolean slotsMaybeOpened;

    Placement(SchedulerState state) {
        this.s = state;
    }

    // ---------------------------------------------------------------- workers joining and leaving

    void workerAdded(WorkerRecord ws) {
        totalNthreads += ws.nthreads;
        checkIdleSaturated(ws);
        slotsMaybeOpened = true;
    }

    /** Called once the worker is no longer in the scheduler's worker map. */
    void workerRemoved(WorkerRecord ws) {
        totalNthreads -= ws.nthreads;
        totalOccupancy -= ws.occupancy;
        ws.occupancy = 0;
        idle.remove(ws.address);
        saturated.remove(ws.address);
    }

    /** After a restart: no task processes anywhere, so every worker is idle with nothing to do. */
    void resetOccupancy() {
        totalOccupancy = 0;
        saturated.clear();
        for (WorkerRecord ws : s.workerArray) {
            ws.occupancy = 0;
            idle.put(ws.address, ws);
        }
        slotsMaybeOpened = true;
    }

    // ---------------------------------------------------------------- processing bookkeeping

    void addProcessing(TaskState ts, WorkerRecord ws) {
        ts.processingOn = ws;
        ws.processing.add(ts);
        if (ws.probe == null && ws.measuresRoundTrip) {
            ws.probe = ts;
            ws.probeSentNanos = s.stimulusNanos;
            ws.probeAhead = ws.processing.size() - 1 - ws.longRunning;
        }
        double cost = ts.group.expectedDuration() + transferSeconds(ts, ws);
        ts.occupancyCost = cost;
        ws.occupancy += cost;
        totalOccupancy += cost;
        checkIdleSaturated(ws);
    }

    void removeProcessing(TaskState ts) {
        WorkerRecord ws = ts.processingOn;
        ws.processing.remove(ts);
        if (ws.probe == ts) {
            ws.probe = null;
        }
        ts.processingOn = null;
        s.steals.inFlight.remove(ts);
        if (ts.longRunning) {
            ts.longRunning = false;
            ws.longRunning--;
        }
        if (s.workers.get(ws.address) != ws) {
            ts.occupancyCost = 0;
            return;
        }
        ws.occupancy -= ts.occupancyCost;
        totalOccupancy -= ts.occupancyCost;
        ts.occupancyCost = 0;
        if (ws.processing.isEmpty()) {
            // no drift from floating-point sums
            totalOccupancy -= ws.occupancy;
            ws.occupancy = 0;
        }
        checkIdleSaturated(ws);
        slotsMaybeOpened = true;
    }

    /** The task seceded from its worker's thread pool: it no longer takes a slot or counts as work ahead. */
    void longRunning(TaskState ts) {
        if (ts.longRunning) {
            return;
        }
        WorkerRecord ws = ts.processingOn;
        ts.longRunning = true;
        ws.longRunning++;
        ws.occupancy -= ts.occupancyCost;
        totalOccupancy -= ts.occupancyCost;
        ts.occupancyCost = 0;
        checkIdleSaturated(ws);
        slotsMaybeOpened = true;
    }

    /** A task finished: its compute time updates its group's moving average. */
    void recordDuration(TaskState ts) {
        for (Startstop ss : ts.startstops) {
            if ("compute".equals(ss.action())) {
                ts.group.recordDuration(ss.durationMillis() / 1000.0);
            }
        }
    }

    /**
     * A task finished on {@code ws} (before {@link #removeProcessing}): if it was the worker's probe,
     * the time since it was sent, less its compute time and its expected wait behind the tasks that
     * took the worker's threads when it was sent, is a sample of the worker's round trip.
     */
    void recordRoundTrip(TaskState ts, WorkerRecord ws) {
        if (ws.probe != ts) {
            return;
        }
        ws.probe = null;
        double compute = 0;
        for (Startstop ss : ts.startstops) {
            if ("compute".equals(ss.action())) {
                compute += ss.durationMillis() / 1000.0;
            }
        }
        double d = ts.group.durationAverage < 0 ? compute : ts.group.durationAverage;
        double wait = Math.max(0, ws.probeAhead - ws.nthreads + 1) * d / ws.nthreads;
        double sample = Math.max(0, (s.stimulusNanos - ws.probeSentNanos) / 1e9 - compute - wait);
        ws.roundTrip = ws.roundTrip < 0 ? sample : (1 - ROUND_TRIP_WEIGHT) * ws.roundTrip + ROUND_TRIP_WEIGHT * sample;
    }

    /**
     * How many root-ish tasks of {@code group} (null: of no known group) the worker takes before it
     * counts as full. Dask's slots, {@code ceil(workerSaturation * nthreads)} (at least 1), unless the
     * group's tasks are shorter than the worker's round trip: then a worker with only that many would
     * sit idle for most of each round trip, so it takes enough to cover one,
     * {@code ceil(workerSaturation * nthreads * roundTrip / meanDuration)}, up to
     * {@link #ROUND_TRIP_SLOTS_PER_THREAD} per thread. Only Dask's with {@code roundTripSlots} off (the
     * round trip is still measured, so turning it on takes effect at once). Unbounded with queuing off.
     */
    int slots(WorkerRecord ws, TaskGroup group) {
        double saturation = s.config.workerSaturation();
        if (!Double.isFinite(saturation)) {
            return Integer.MAX_VALUE;
        }
        int base = Math.max((int) Math.ceil(saturation * ws.nthreads), 1);
        if (!s.config.roundTripSlots() || ws.roundTrip <= 0 || group == null || group.durationAverage < 0
                || group.durationAverage >= ws.roundTrip) {
            return base;
        }
        int cap = Math.max(base, ROUND_TRIP_SLOTS_PER_THREAD * ws.nthreads);
        double d = group.durationAverage;
        double wanted = d <= 0 ? cap : Math.ceil(saturation * ws.nthreads * ws.roundTrip / d);
        return (int) Math.max(base, Math.min(cap, wanted));
    }

    /** How many more root-ish tasks of {@code group} this worker takes before it counts as full (Dask's task slots). */
    int openSlots(WorkerRecord ws, TaskGroup group) {
        return slots(ws, group) - (ws.processing.size() - ws.longRunning);
    }

    /** Dask's {@code check_idle_saturated}: recomputes whether this worker is idle or saturated. */
    private void checkIdleSaturated(WorkerRecord ws) {
        if (totalNthreads == 0 || s.workers.get(ws.address) != ws) {
            return;
        }
        int nc = ws.nthreads;
        int p = ws.processing.size() - ws.longRunning;
        double occ = ws.occupancy;
        double avg = totalOccupancy / totalNthreads;
        if (p < nc || occ < nc * avg / 2) {
            idle.put(ws.address, ws);
            saturated.remove(ws.address);
            return;
        }
        idle.remove(ws.address);
        if (p > nc) {
            double pending = occ * (p - nc) / ((double) p * nc);
            if (pending > 0.4 && pending > 1.9 * avg) {
                saturated.put(ws.address, ws);
                return;
            }
        }
        saturated.remove(ws.address);
    }

    // ---------------------------------------------------------------- choosing a worker

    /**
     * Root-ish tasks are many similar tasks with few inputs (Dask's {@code is_rootish}): more tasks in
     * the group than twice the threads, fewer than 5 dependency groups holding fewer than 5 tasks,
     * and no restrictions. With queuing on they wait on the scheduler until a worker has room.
     */
    boolean isRootish(TaskState ts) {
        if (ts.restricted() || s.someWorkerLacks(ts.function)) {
            return false;
        }
        TaskGroup g = ts.group;
        return g.size > 2 * totalNthreads && g.dependencies.size() < 5 && g.dependencyTaskCount() < 5;
    }

    /** Whether the task waits in {@code queued} rather than being sent now. */
    boolean shouldQueue(TaskState ts) {
        return s.config.queuing() && isRootish(ts);
    }

    /** For a queued root-ish task: the least busy worker with a free slot, or null if all are full. */
    WorkerRecord decideRootish(TaskState ts) {
        WorkerRecord best = null;
        for (WorkerRecord ws : s.workerArray) {
            if (!ws.acceptsWork() || openSlots(ws, ts.group) <= 0 || !ws.runs(ts.function)) {
                continue;
            }
            if (best == null || ws.load() < best.load()) {
                best = ws;
            }
        }
        return best;
    }

    /**
     * Dask's {@code decide_worker}: among the workers holding the task's inputs (or every worker
     * allowed to run it), the one where it would start earliest; null if no worker may run it.
     */
    WorkerRecord decide(TaskState ts) {
        if (s.workerArray.length == 0) {
            return null;
        }
        if (!ts.restricted() && ts.dependencies.isEmpty() && !s.someWorkerLacks(ts.function)) {
            return leastOccupied(idle.isEmpty() ? null : idle.values());
        }
        WorkerRecord best = null;
        if (!ts.dependencies.isEmpty()) {
            for (TaskState dep : ts.dependencies) {
                for (WorkerRecord ws : dep.whoHas) {
                    if (allowed(ts, ws)) {
                        best = better(ts, best, ws);
                    }
                }
            }
        }
        if (best != null) {
            return best;
        }
        for (WorkerRecord ws : s.workerArray) {
            if (allowed(ts, ws)) {
                best = better(ts, best, ws);
            }
        }
        if (best == null && ts.looseRestrictions && ts.resources.isEmpty()) {
            for (WorkerRecord ws : s.workerArray) {
                if (ws.acceptsWork() && ws.runs(ts.function)) {
                    best = better(ts, best, ws);
                }
            }
        }
        return best;
    }

    /**
     * Whether this worker may run the task: it takes work, has the task's function (no depot bundle
     * providing it failed there), matches the task's workers or hosts, and offers its resources.
     */
    boolean allowed(TaskState ts, WorkerRecord ws) {
        if (!ws.acceptsWork() || !ws.runs(ts.function)) {
            return false;
        }
        if (!ts.workerRestrictions.isEmpty() && !ts.workerRestrictions.contains(ws.address)
                && !ts.workerRestrictions.contains(ws.host)) {
            return false;
        }
        return ts.resources.isEmpty() || ws.offers(ts.resources);
    }

    /** The least occupied worker taking work, from {@code pool} if it has one, else from all workers. */
    private WorkerRecord leastOccupied(java.util.Collection<WorkerRecord> pool) {
        WorkerRecord best = pool == null ? null : leastOccupiedOf(pool);
        return best != null ? best : leastOccupiedOf(java.util.Arrays.asList(s.workerArray));
    }

    private static WorkerRecord leastOccupiedOf(Iterable<WorkerRecord> workers) {
        WorkerRecord best = null;
        for (WorkerRecord ws : workers) {
            if (ws.acceptsWork() && (best == null || ws.occupancy < best.occupancy)) {
                best = ws;
            }
        }
        return best;
    }

    /** Dask's {@code worker_objective}: earliest expected start, then fewest bytes held. */
    private WorkerRecord better(TaskState ts, WorkerRecord current, WorkerRecord candidate) {
        if (current == null || current == candidate) {
            return candidate;
        }
        double a = startTime(ts, candidate);
        double b = startTime(ts, current);
        if (a != b) {
            return a < b ? candidate : current;
        }
        return candidate.nbytes < current.nbytes ? candidate : current;
    }

    private double startTime(TaskState ts, WorkerRecord ws) {
        return ws.occupancy / ws.nthreads + transferSeconds(ts, ws);
    }

    /** Seconds to fetch the inputs this worker does not hold yet. */
    private double transferSeconds(TaskState ts, WorkerRecord ws) {
        if (ts.dependencies.isEmpty()) {
            return 0;
        }
        long bytes = 0;
        for (TaskState dep : ts.dependencies) {
            if (!dep.whoHas.contains(ws)) {
                bytes += Math.max(0, dep.nbytes);
            }
        }
        return bytes / s.config.bandwidth();
    }

    /** How many queued tasks the workers have room for now (counted for the best queued task's group). */
    int openSlots() {
        TaskState first = s.queued.first();
        TaskGroup group = first == null ? null : first.group;
        long total = 0;
        for (WorkerRecord ws : s.workerArray) {
            if (ws.acceptsWork()) {
                total += Math.max(0, openSlots(ws, group));
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }
}
