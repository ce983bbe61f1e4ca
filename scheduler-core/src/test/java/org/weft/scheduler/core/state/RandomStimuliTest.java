package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction.FreeKeys;
import org.weft.node.SchedulerInstruction.ReportErred;
import org.weft.node.SchedulerInstruction.ReportForgotten;
import org.weft.node.SchedulerInstruction.ReportMemory;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.Startstop;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

/**
 * Long random sequences of stimuli against {@link SchedulerState} with validation on (every
 * invariant re-checked after every stimulus), with simulated workers and clients that follow the
 * instructions drained exactly. At the end the cluster is driven to quiescence and every key still
 * wanted must be in memory or erred, nothing may be stuck, and the simulated workers must hold
 * exactly what the scheduler thinks they hold.
 *
 * <p>Each kind of stimulus is one method, registered with a weight in {@link Run#stimuli()}; to
 * add one (cancel, restart, retire, steal...), write the method and add a line there. A failure
 * names the seed and the step; rerun one seed with {@code -Dweft.random.seed=N}.
 */
class RandomStimuliTest {

    private static final int STEPS = 2000;
    private static final int MAX_WORKERS = 6;

    /** A key prefix of letters only (Dask's key_split keeps those), one task group per graph. */
    static String letters(int n) {
        StringBuilder b = new StringBuilder("g");
        do {
            b.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return b.toString();
    }

    /** Seeds; odd ones run with queuing on (the default), even ones with it off (worker saturation inf). */
    static LongStream seeds() {
        String fixed = System.getProperty("weft.random.seed");
        if (fixed != null) {
            return LongStream.of(Long.parseLong(fixed));
        }
        // 10158: a stale release of an input a dependent waited on again (see waitAgainIfNeeded)
        return LongStream.of(1, 2, 3, 42, 10158, System.nanoTime());
    }

    /** How often each kind of stimulus applied, over all runs (a kind that never applies tests nothing). */
    private static final Map<String, Integer> APPLIED = new java.util.concurrent.ConcurrentHashMap<>();

    /** Edges taken by all runs so far, per mode (queuing on or off). */
    private static final Map<Boolean, Set<String>> EDGES_TAKEN = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Over all the seeds of a mode, every edge the mode can reach was taken: one seed's run may
     * miss a rare edge by chance.
     */
    @org.junit.jupiter.api.AfterAll
    static void everyReachableEdgeWasTakenByTheRunsOfEachMode() {
        if (System.getProperty("weft.random.seed") != null) {
            return;
        }
        for (String kind : List.of("cancel", "steal", "stolen", "secede", "reschedule", "restart", "remove worker")) {
            assertTrue(APPLIED.getOrDefault(kind, 0) > 0, "no run applied '" + kind + "': " + APPLIED);
        }
        for (boolean mode : List.of(true, false)) {
            List<String> expected = new ArrayList<>(COMMON_EDGES);
            expected.addAll(mode ? QUEUING_EDGES : NO_QUEUING_EDGES);
            Set<String> taken = EDGES_TAKEN.getOrDefault(mode, Set.of());
            for (String edge : expected) {
                assertTrue(taken.contains(edge), (mode ? "queuing" : "no queuing") + " runs never took " + edge
                        + "; took " + taken);
            }
        }
    }

    static boolean queuing(long seed) {
        return seed % 2 != 0;
    }

    /**
     * The edges every run must take, queuing on or off; rarer ones (memory>forgotten, ...) are
     * SchedulerTableTest's.
     */
    static final List<String> COMMON_EDGES = List.of("released>waiting", "waiting>processing", "waiting>released",
            "processing>memory", "processing>erred", "processing>released", "memory>released",
            "released>forgotten", "released>erred", "erred>released");
    static final List<String> QUEUING_EDGES = List.of("waiting>queued", "queued>processing", "queued>released");
    static final List<String> NO_QUEUING_EDGES = List.of("waiting>no-worker", "no-worker>processing",
            "no-worker>released");

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomStimuliKeepTheInvariantsAndEveryWantedKeyEndsInMemoryOrErred(long seed) {
        long t0 = System.nanoTime();
        Run run = new Run(seed);
        try {
            run.steps(STEPS);
            run.quiesce();
            run.checkQuiescent();
            Set<String> edges = new java.util.TreeSet<>();
            for (var e : run.events.events) {
                edges.add(e.start() + ">" + e.finish());
            }
            // each run must do real work; the rarer edges are checked over all runs of a mode (see below)
            for (String edge : List.of("released>waiting", "processing>memory", "memory>released")) {
                assertTrue(edges.contains(edge), "never took " + edge + "; took " + edges);
            }
            EDGES_TAKEN.computeIfAbsent(queuing(seed), q -> new java.util.TreeSet<>()).addAll(edges);
            System.out.println("seed " + seed + (queuing(seed) ? " (queuing)" : " (no queuing)") + ": " + run.state.tasks().size() + " tasks, "
                    + run.state.transitionCount() + " transitions, max " + run.maxTasks + " tasks, " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (Throwable t) {
            String where = "seed " + seed + " (rerun with -Dweft.random.seed=" + seed + "), step " + run.step
                    + ", last stimulus " + run.lastStimulus;
            System.err.println("RandomStimuliTest failed at " + where);
            String grep = System.getProperty("weft.random.grep");
            if (grep != null) {
                run.events.calls.stream().filter(c -> c.contains(grep)).forEach(System.err::println);
            }
            throw new AssertionError(where + ": " + t, t);
        }
    }

    /** One simulated worker: what the scheduler told it to run, what it holds, runs freed under it. */
    private static final class SimWorker {
        final String address;
        final Map<String, ComputeTask> running = new LinkedHashMap<>();
        final Set<String> held = new LinkedHashSet<>();
        /** Freed while running: the result may still be reported (the message crossed the free). */
        final Set<String> orphans = new LinkedHashSet<>();

        SimWorker(String address) {
            this.address = address;
        }
    }

    /** A weighted kind of stimulus; {@code action} returns false when it does not apply now. */
    private record Stimulus(String name, int weight, BooleanSupplier action) {
    }

    static final class Run {
        final long seed;
        final Random random;
        final RecordingSchedulerEvents events = new RecordingSchedulerEvents();
        final SchedulerState state;
        final Map<String, SimWorker> workers = new LinkedHashMap<>();
        /** Late reports of runs whose worker was freed or lost: (worker, key). */
        final List<String[]> lateReports = new ArrayList<>();
        /** Per client, per key: the last report it got ("memory", "erred", "forgotten"). */
        final Map<String, Map<String, String>> reports = new HashMap<>();
        final List<Stimulus> stimuli;
        int totalWeight;
        int step;
        String lastStimulus = "none";
        int nextTask;
        int nextGraph;
        int nextWorker;
        int nextClient;
        int nextStimulus;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            int allowedFailures = 1 + random.nextInt(3);
            SchedulerConfig config = new SchedulerConfig(true, 2_000, allowedFailures);
            this.state = new SchedulerState(
                    queuing(seed) ? config : config.withWorkerSaturation(Double.POSITIVE_INFINITY), events);
            events.state = state;
            this.stimuli = stimuli();
            for (Stimulus s : stimuli) {
                totalWeight += s.weight();
            }
            addClient();
            addWorker();
        }

        /** The kinds of stimulus and their weights. Add new kinds here. */
        List<Stimulus> stimuli() {
            return List.of(
                    new Stimulus("submit graph", 8, this::submitGraph),
                    new Stimulus("want known key", 2, this::wantKnownKey),
                    new Stimulus("task finished", 30, this::taskFinished),
                    new Stimulus("task erred", 5, this::taskErred),
                    new Stimulus("late report", 3, this::lateReport),
                    new Stimulus("add worker", 3, this::addWorker),
                    new Stimulus("remove worker", 2, this::removeWorker),
                    new Stimulus("missing data", 2, this::missingData),
                    new Stimulus("release keys", 5, this::releaseKeys),
                    new Stimulus("add client", 1, this::addClient),
                    new Stimulus("remove client", 1, this::removeClient),
                    new Stimulus("cancel", 2, this::cancel),
                    new Stimulus("steal", 3, this::steal),
                    new Stimulus("secede", 1, this::secede),
                    new Stimulus("reschedule", 1, this::reschedule),
                    new Stimulus("restart", 1, this::restart));
        }

        String stimulusId(String kind) {
            return kind + "-" + (nextStimulus++);
        }

        void steps(int n) {
            for (step = 0; step < n; step++) {
                for (int attempt = 0; attempt < 20; attempt++) {
                    Stimulus s = pick();
                    lastStimulus = s.name();
                    if (s.action().getAsBoolean()) {
                        APPLIED.merge(s.name(), 1, Integer::sum);
                        break;
                    }
                }
                deliver();
                checkWorkersAgree();
                maxTasks = Math.max(maxTasks, state.tasks().size());
            }
        }
        int maxTasks;

        Stimulus pick() {
            int r = random.nextInt(totalWeight);
            for (Stimulus s : stimuli) {
                r -= s.weight();
                if (r < 0) {
                    return s;
                }
            }
            throw new AssertionError();
        }

        <T> T any(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }

        // ---------------------------------------------------------------- stimuli

        boolean submitGraph() {
            if (state.clients().isEmpty()) {
                return false;
            }
            String client = any(new ArrayList<>(state.clients()));
            List<String> known = new ArrayList<>(state.tasks().keySet());
            boolean roots = random.nextInt(3) == 0; // a fan of similar tasks on at most one input: root-ish
            int n = roots ? 4 + random.nextInt(16) : 1 + random.nextInt(8);
            String prefix = letters(nextGraph++);
            String rootInput = roots && !known.isEmpty() && random.nextBoolean() ? any(known) : null;
            List<TaskSpec> specs = new ArrayList<>();
            List<String> newKeys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = prefix + "-" + (nextTask++); // one task group per prefix, as Dask's key_split
                List<Object> args = new ArrayList<>();
                int deps = roots ? 0 : random.nextInt(3);
                if (rootInput != null) {
                    args.add(new TaskRef(rootInput));
                }
                for (int d = 0; d < deps; d++) {
                    if (!newKeys.isEmpty() && random.nextInt(3) > 0) {
                        args.add(new TaskRef(any(newKeys)));
                    } else if (!known.isEmpty()) {
                        args.add(new TaskRef(any(known)));
                    }
                }
                args.add(i);
                int retries = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
                int priority = random.nextInt(5) == 0 ? random.nextInt(5) - 2 : 0;
                Set<String> on = Set.of();
                Map<String, Double> resources = Map.of();
                if (!roots && random.nextInt(8) == 0) {
                    on = Set.of("w" + random.nextInt(nextWorker + 2)); // maybe gone, maybe not joined yet
                } else if (!roots && random.nextInt(8) == 0) {
                    resources = Map.of("GPU", 1.0);
                }
                specs.add(new TaskSpec(key, "f", args, retries, priority, on, random.nextInt(3) == 0, resources));
                newKeys.add(key);
            }
            if (!known.isEmpty() && random.nextInt(5) == 0) {
                specs.add(new TaskSpec(any(known), "f", List.of())); // resubmitted: ignored, the key exists
            }
            Set<String> wanted = new LinkedHashSet<>();
            wanted.add(newKeys.get(newKeys.size() - 1));
            for (String key : newKeys) {
                if (random.nextInt(4) == 0) {
                    wanted.add(key);
                }
            }
            state.updateGraph(client, specs, wanted, stimulusId("update-graph"));
            return true;
        }

        boolean wantKnownKey() {
            if (state.clients().isEmpty() || state.tasks().isEmpty()) {
                return false;
            }
            String client = any(new ArrayList<>(state.clients()));
            String key = any(new ArrayList<>(state.tasks().keySet()));
            state.updateGraph(client, List.of(), Set.of(key), stimulusId("want"));
            return true;
        }

        /** (worker, key) of a task some simulated worker is running, or null. */
        String[] anyRunning() {
            List<String[]> all = new ArrayList<>();
            for (SimWorker w : workers.values()) {
                for (String key : w.running.keySet()) {
                    all.add(new String[] {w.address, key});
                }
            }
            return all.isEmpty() ? null : any(all);
        }

        boolean taskFinished() {
            String[] run = anyRunning();
            if (run == null) {
                return false;
            }
            finish(run[0], run[1]);
            return true;
        }

        void finish(String worker, String key) {
            SimWorker w = workers.get(worker);
            w.running.remove(key);
            w.held.add(key);
            state.taskFinished(key, worker, 1 + random.nextInt(100), "Long",
                    List.of(new Startstop("compute", step, step + 1, null)), stimulusId("task-finished"));
        }

        boolean taskErred() {
            String[] run = anyRunning();
            if (run == null) {
                return false;
            }
            workers.get(run[0]).running.remove(run[1]);
            state.taskErred(run[1], run[0], "boom in " + run[1], "at f", List.of(), stimulusId("task-erred"));
            return true;
        }

        /** A result (or error) of a run freed under its worker, or of a lost worker, arrives late. */
        boolean lateReport() {
            if (lateReports.isEmpty()) {
                return false;
            }
            String[] late = lateReports.remove(random.nextInt(lateReports.size()));
            deliverLate(late);
            return true;
        }

        void deliverLate(String[] late) {
            SimWorker w = workers.get(late[0]);
            if (w != null && !w.orphans.remove(late[1])) {
                return; // the worker was asked to compute the key again: it drops the orphan's result
            }
            if (random.nextBoolean()) {
                if (w != null) {
                    w.held.add(late[1]);
                }
                state.taskFinished(late[1], late[0], 8, "Long", List.of(), stimulusId("late-finished"));
            } else {
                state.taskErred(late[1], late[0], "late boom", null, List.of(), stimulusId("late-erred"));
            }
        }

        boolean addWorker() {
            if (workers.size() >= MAX_WORKERS) {
                return false;
            }
            addWorker("w" + (nextWorker++), random.nextInt(3) == 0);
            return true;
        }

        void addWorker(String address, boolean gpu) {
            workers.put(address, new SimWorker(address));
            state.addWorker(address, 1 + random.nextInt(3), gpu ? Map.of("GPU", 1.0 + random.nextInt(2)) : Map.of(),
                    stimulusId("add-worker"));
        }

        boolean removeWorker() {
            if (workers.isEmpty()) {
                return false;
            }
            SimWorker w = workers.remove(any(new ArrayList<>(workers.keySet())));
            for (String key : w.running.keySet()) {
                if (random.nextInt(4) == 0) {
                    lateReports.add(new String[] {w.address, key}); // sent just before it died
                }
            }
            assertTrue(state.removeWorker(w.address, stimulusId("remove-worker")));
            return true;
        }

        /** A holder lost a result; a worker that needed it reports it missing there. */
        boolean missingData() {
            List<String[]> held = new ArrayList<>();
            for (SimWorker w : workers.values()) {
                for (String key : w.held) {
                    held.add(new String[] {w.address, key});
                }
            }
            if (held.isEmpty()) {
                return false;
            }
            String[] lost = any(held);
            workers.get(lost[0]).held.remove(lost[1]);
            String reporter = null;
            for (SimWorker w : workers.values()) {
                for (ComputeTask c : w.running.values()) {
                    if (c.whoHas().getOrDefault(lost[1], Set.of()).contains(lost[0]) && !w.address.equals(lost[0])) {
                        reporter = w.address;
                    }
                }
            }
            if (reporter == null) {
                reporter = any(new ArrayList<>(workers.keySet()));
            }
            state.missingData(lost[1], lost[0], reporter, stimulusId("missing-data"));
            return true;
        }

        boolean releaseKeys() {
            List<String> clients = new ArrayList<>(state.clients());
            if (clients.isEmpty()) {
                return false;
            }
            String client = any(clients);
            List<String> wanted = new ArrayList<>();
            for (TaskState ts : state.wantedBy(client)) {
                if (random.nextInt(3) == 0) {
                    wanted.add(ts.key());
                }
            }
            if (random.nextInt(10) == 0) {
                wanted.add("never-heard-of");
            }
            state.releaseKeys(client, wanted, stimulusId("release-keys"));
            return !wanted.isEmpty();
        }

        /** A client cancels some keys it wants (sometimes with force): they and their dependents go. */
        boolean cancel() {
            List<String> clients = new ArrayList<>(state.clients());
            if (clients.isEmpty()) {
                return false;
            }
            String client = any(clients);
            List<String> keys = new ArrayList<>();
            for (TaskState ts : state.wantedBy(client)) {
                if (random.nextInt(4) == 0) {
                    keys.add(ts.key());
                }
            }
            if (keys.isEmpty()) {
                return false;
            }
            state.cancel(client, keys, random.nextInt(3) == 0, step, stimulusId("cancel"));
            return true;
        }

        /** Steal stealing: a processing task asked to move to another worker; the victim answers at once. */
        boolean steal() {
            String[] run = anyRunning();
            if (run == null || workers.size() < 2) {
                return false;
            }
            List<String> others = new ArrayList<>(workers.keySet());
            others.remove(run[0]);
            state.stealRequest(run[1], any(others), stimulusId("steal"));
            return true;
        }

        /** A running task secedes from its worker's threads (long-running). */
        boolean secede() {
            String[] run = anyRunning();
            if (run == null) {
                return false;
            }
            state.taskLongRunning(run[1], run[0], stimulusId("long-running"));
            return true;
        }

        /** The scheduler reschedules a processing task (Dask's Scheduler.reschedule). */
        boolean reschedule() {
            String[] run = anyRunning();
            if (run == null) {
                return false;
            }
            state.reschedule(run[1], random.nextBoolean() ? run[0] : null, stimulusId("reschedule"));
            return true;
        }

        /** Rarely: the whole task state is cleared. */
        boolean restart() {
            if (random.nextInt(4) != 0) {
                return false;
            }
            state.restart(null, step, stimulusId("restart"));
            return true;
        }

        boolean addClient() {
            String client = "c" + (nextClient++);
            state.addClient(client);
            reports.put(client, new HashMap<>());
            return true;
        }

        boolean removeClient() {
            if (state.clients().size() < 2) {
                return false;
            }
            String client = any(new ArrayList<>(state.clients()));
            state.removeClient(client, stimulusId("remove-client"));
            return true;
        }

        // ---------------------------------------------------------------- the simulated cluster

        /** Performs the drained instructions the way workers and clients do, until none are left. */
        void deliver() {
            for (List<SchedulerInstruction> out = state.drainInstructions(); !out.isEmpty(); out = state.drainInstructions()) {
                deliver(out);
            }
        }

        void deliver(List<SchedulerInstruction> out) {
            for (SchedulerInstruction i : out) {
                if (i instanceof ComputeTask c) {
                    SimWorker w = workers.get(c.worker());
                    assertTrue(w != null, "compute sent to unknown worker: " + c);
                    assertTrue(!w.running.containsKey(c.key()), "sent twice without a free: " + c);
                    for (Map.Entry<String, Set<String>> dep : c.whoHas().entrySet()) {
                        assertTrue(!dep.getValue().isEmpty(), "dependency " + dep.getKey() + " held nowhere: " + c);
                        for (String holder : dep.getValue()) {
                            assertTrue(workers.containsKey(holder) && workers.get(holder).held.contains(dep.getKey()),
                                    "dependency " + dep.getKey() + " said to be on " + holder + ", which does not hold it: " + c);
                        }
                    }
                    assertTrue(!w.held.contains(c.key()), "asked to compute a key it holds: " + c);
                    w.orphans.remove(c.key());
                    w.running.put(c.key(), c);
                } else if (i instanceof FreeKeys f) {
                    SimWorker w = workers.get(f.worker());
                    assertTrue(w != null, "free sent to unknown worker: " + f);
                    for (String key : f.keys()) {
                        if (w.running.remove(key) != null) {
                            w.orphans.add(key);
                            if (random.nextInt(3) == 0) {
                                lateReports.add(new String[] {w.address, key});
                            }
                        }
                        w.held.remove(key);
                    }
                } else if (i instanceof ReportMemory r) {
                    clientReport(r.client(), r.key(), "memory");
                } else if (i instanceof ReportErred r) {
                    clientReport(r.client(), r.key(), "erred");
                    assertTrue(r.exceptionText() != null && r.blamedKey() != null, r.toString());
                } else if (i instanceof ReportForgotten r) {
                    clientReport(r.client(), r.key(), "forgotten");
                } else if (i instanceof SchedulerInstruction.ReportCancelled r) {
                    clientReport(r.client(), r.key(), "cancelled");
                } else if (i instanceof SchedulerInstruction.StealRequest r) {
                    answerSteal(r);
                } else if (i instanceof SchedulerInstruction.RestartWorker r) {
                    SimWorker w = workers.get(r.worker());
                    for (String key : w.running.keySet()) {
                        w.orphans.add(key);
                        if (random.nextInt(3) == 0) {
                            lateReports.add(new String[] {w.address, key});
                        }
                    }
                    w.running.clear();
                    w.held.clear();
                }
            }
        }

        /** The victim gives the task up if it has "not started" (a coin), else says it is executing. */
        void answerSteal(SchedulerInstruction.StealRequest r) {
            SimWorker w = workers.get(r.worker());
            org.weft.plugin.api.WorkerTaskState there;
            if (w.running.containsKey(r.key()) && random.nextBoolean()) {
                w.running.remove(r.key());
                there = org.weft.plugin.api.WorkerTaskState.READY;
                APPLIED.merge("stolen", 1, Integer::sum);
            } else if (w.running.containsKey(r.key())) {
                there = org.weft.plugin.api.WorkerTaskState.EXECUTING;
            } else if (w.held.contains(r.key())) {
                there = org.weft.plugin.api.WorkerTaskState.MEMORY;
            } else {
                there = org.weft.plugin.api.WorkerTaskState.RELEASED;
            }
            state.stealResponse(r.key(), r.worker(), there, r.stimulusId()); // the victim names the request
        }

        void clientReport(String client, String key, String what) {
            assertTrue(state.clients().contains(client), "report to a client that left: " + client + " " + key);
            reports.computeIfAbsent(client, c -> new HashMap<>()).put(key, what);
        }

        /** What the scheduler thinks runs and is held on each worker matches the simulated workers. */
        void checkWorkersAgree() {
            assertEquals(workers.keySet(), state.workers().keySet());
            for (WorkerRecord ws : state.workers().values()) {
                SimWorker w = workers.get(ws.address());
                for (TaskState ts : ws.processing) {
                    assertTrue(w.running.containsKey(ts.key()),
                            ts.key() + " processing on " + ws.address() + ", which is not running it");
                }
                for (TaskState ts : ws.hasWhat) {
                    assertTrue(w.held.contains(ts.key()),
                            ts.key() + " in memory on " + ws.address() + ", which does not hold it");
                }
            }
        }

        // ---------------------------------------------------------------- the end

        /** Keeps one worker, then finishes everything running and every late report until nothing moves. */
        void quiesce() {
            lastStimulus = "quiesce";
            if (workers.isEmpty()) {
                addWorker();
                deliver();
            }
            for (int round = 0; ; round++) {
                assertTrue(round < 100_000, "no quiescence");
                addWorkersForRestrictedTasks();
                if (!lateReports.isEmpty()) {
                    deliverLate(lateReports.remove(lateReports.size() - 1));
                } else {
                    String[] run = anyRunning();
                    if (run == null) {
                        break;
                    }
                    finish(run[0], run[1]);
                }
                deliver();
                checkWorkersAgree();
            }
        }

        /** A task no connected worker may run gets one: the worker it names, or one offering a GPU. */
        void addWorkersForRestrictedTasks() {
            for (TaskState ts : new ArrayList<>(state.unrunnable)) {
                if (ts.state() != SchedulerTaskState.NO_WORKER) {
                    continue;
                }
                String named = ts.workerRestrictions.isEmpty() ? null : ts.workerRestrictions.iterator().next();
                if (named != null && !workers.containsKey(named)) {
                    addWorker(named, true);
                } else if (named == null) {
                    addWorker("w" + (nextWorker++), true);
                }
                deliver();
            }
        }

        void checkQuiescent() {
            state.validate();
            for (TaskState ts : state.tasks().values()) {
                SchedulerTaskState s = ts.state();
                assertTrue(s == SchedulerTaskState.MEMORY || s == SchedulerTaskState.ERRED
                        || s == SchedulerTaskState.RELEASED, () -> "stuck: " + ts + " waiting on " + ts.waitingOn
                        + "; dependencies " + ts.dependencies + "; story: " + state.story(ts.key()) + "; their stories: "
                        + ts.dependencies.stream().map(d -> state.story(d.key())).toList());
            }
            Set<TaskState> needed = new HashSet<>();
            Deque<TaskState> todo = new ArrayDeque<>();
            for (String client : state.clients()) {
                Map.Entry<String, List<TaskState>> e = Map.entry(client, state.wantedBy(client));
                for (TaskState ts : e.getValue()) {
                    assertTrue(ts.state() == SchedulerTaskState.MEMORY || ts.state() == SchedulerTaskState.ERRED,
                            "wanted by " + e.getKey() + " but " + ts + "; story: " + state.story(ts.key()));
                    String expected = ts.state() == SchedulerTaskState.MEMORY ? "memory" : "erred";
                    assertEquals(expected, reports.get(e.getKey()).get(ts.key()),
                            e.getKey() + " was last told something else about " + ts);
                    todo.add(ts);
                }
            }
            while (!todo.isEmpty()) {
                TaskState ts = todo.poll();
                if (needed.add(ts)) {
                    todo.addAll(ts.dependencies);
                }
            }
            for (TaskState ts : state.tasks().values()) {
                if (!needed.contains(ts)) {
                    StringBuilder stories = new StringBuilder();
                    for (TaskState dts : ts.dependents) {
                        stories.append("\nstory of ").append(dts.key()).append(" (wanted by ").append(dts.whoWants)
                                .append("): ").append(state.story(dts.key()));
                    }
                    throw new AssertionError("kept though no wanted key depends on it: " + ts + " dependents "
                            + ts.dependents + "; story: " + state.story(ts.key()) + stories);
                }
            }
            for (SimWorker w : workers.values()) {
                assertEquals(state.workers().get(w.address).hasWhat(), w.held,
                        "worker " + w.address + " holds what the scheduler does not know of, or the reverse");
                assertTrue(w.running.isEmpty());
            }
        }
    }
}
