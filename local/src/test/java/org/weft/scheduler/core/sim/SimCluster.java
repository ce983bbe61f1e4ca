package org.weft.scheduler.core.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.weft.node.SchedulerInstruction;
import org.weft.node.WorkerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.protocol.TaskSpec;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.state.SchedulerState;
import org.weft.scheduler.core.state.TaskState;
import org.weft.scheduler.core.state.WorkerRecord;
import org.weft.worker.state.WorkerState;
import org.weft.worker.state.WorkerTask;

/**
 * A deterministic simulation of one scheduler and a few workers: the real {@link SchedulerState}
 * and {@link WorkerState}s (validation on), wired as {@code SchedulerNode} and {@code WorkerNode}
 * wire them, but without threads. Everything that happens is an event in one queue ordered by
 * (virtual time, sequence number), and every random choice comes from one {@link Random}, so a
 * seed replays exactly.
 *
 * <p>The network: scheduler ↔ worker messages travel on one FIFO channel per direction and
 * connection, with random latency (sometimes much later than usual); messages on different
 * connections reorder, as over TCP. Worker ↔ worker transfers ({@code GatherDep}) cross it too.
 * The hops "instruction → delivered stimulus" are {@link #deliverToWorker} and
 * {@link #deliverToScheduler}, the only places that map one machine's output to the other's input.
 *
 * <p>Faults chosen by the seed: workers lost abruptly (the connection reset, so what they had sent
 * is lost, or closed, so it still arrives first), workers joining mid-run, retirement, late
 * messages, steal requests racing with task completion, clients releasing keys, resubmitting them
 * or leaving while another client still wants shared keys. {@link #checkQuiescent()} then checks
 * the end state against {@link SimGraph}'s independently computed outcomes.
 */
final class SimCluster {

    static final int LOG_SIZE = 50;
    /** {@code -Dweft.sim.grep=TEXT}: print every event whose description holds TEXT (to follow one key). */
    private static final String GREP = System.getProperty("weft.sim.grep");
    private static final long MAX_EVENTS = 1_000_000;
    private static final int MAX_RESCUES = 8;

    /** One scheduled thing: a message delivery, the end of a task run, a fault, a client's action. */
    private record Event(long time, long seq, String what, Runnable action) {
    }

    /** A simulated worker process: its state machine, and whether it and its connection are up. */
    static final class SimWorker {
        final String address;
        final int nthreads;
        final WorkerState state;
        /** The process runs: it takes messages and finishes its runs. */
        boolean alive = true;
        /** Its connection to the scheduler still delivers what it sent. */
        boolean connected = true;
        /** Which connection to the scheduler it is on (a reconnect opens a new one); messages of an older one are lost. */
        int epoch;
        /** The connection the scheduler took this worker's registration on: it sends there. */
        int schedulerEpoch;
        Map<String, Double> resources = Map.of();
        boolean retiring;

        /** Runs that asked to rejoin the thread pool: what each does once let go ({@code WorkerInstruction.Rejoin}). */
        final Map<String, Runnable> rejoining = new HashMap<>();

        SimWorker(String address, int nthreads, WorkerState state) {
            this.address = address;
            this.nthreads = nthreads;
            this.state = state;
        }
    }

    /** A client: the keys it wants now, and the last report it got per key. */
    static final class SimClient {
        final String name;
        final Set<String> wants = new LinkedHashSet<>();
        final Map<String, SchedulerInstruction> lastReport = new HashMap<>();
        boolean connected;
        boolean gone;

        SimClient(String name) {
            this.name = name;
        }
    }

    final long seed;
    final Random random;
    final SimGraph graph;
    final SchedulerState scheduler;
    final Map<String, SimWorker> workers = new LinkedHashMap<>();
    final Map<String, SimClient> clients = new LinkedHashMap<>();
    /** How often each kind of thing happened (faults, races), for the test's coverage check. */
    final Map<String, Integer> counts = new TreeMap<>();
    /** Keys that were processing on a worker when it was lost: only these may err with KilledWorker. */
    final Set<String> processingOnLostWorker = new HashSet<>();
    final String description;

    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));
    /** Per connection, the delivery time of the last message sent on it (FIFO). */
    private final Map<String, Long> channelTail = new HashMap<>();
    private final ArrayDeque<String> recent = new ArrayDeque<>(LOG_SIZE);
    /** The wire protocol between scheduler and workers; null: instructions handed over as they are. */
    private final WireHop wire;
    /** Draws for the features added after the first version (GPUs, seceding runs). */
    private final Random features;
    private final boolean chaos;
    private final int latePercent;
    private final int nthreadsMax;
    /** Faults, timers and client actions happen before this virtual time; then the cluster winds down. */
    private final long horizon;
    /** Between heartbeats, and between the scheduler's worker-TTL checks (when a TTL is set). */
    private static final long HEARTBEAT_MILLIS = 10;
    private final long ttl;
    /** The client reports the current stimulus may cause besides memory and erred: none, cancelled, forgotten. */
    private Class<?> expectedDrops;
    long now;
    private long seq;
    long eventsRun;
    private int nextWorker;
    private int nextStimulus;
    private int rescues;

    SimCluster(long seed) {
        this(seed, false);
    }

    /** @param wire whether the scheduler ↔ worker hops go through the wire protocol ({@link WireHop}) */
    SimCluster(long seed, boolean wire) {
        this.wire = wire ? new WireHop() : null;
        this.seed = seed;
        this.random = new Random(seed);
        double r = random.nextDouble();
        int size = 10 + (int) (190 * r * r);
        double fragile = random.nextInt(3) == 0 ? 0 : 0.05 + 0.2 * random.nextDouble();
        // features added later draw from a generator of their own: a seed without them is the same run as before
        Random features = new Random(seed * 31 + 7);
        double gpu = features.nextInt(3) == 0 ? 0.1 + 0.3 * features.nextDouble() : 0;
        double slow = features.nextInt(3) == 0 ? 0.05 + 0.2 * features.nextDouble() : 0;
        this.features = features;
        // one seed in eight is chaotic: many late messages, more workers lost and joining
        this.chaos = features.nextInt(8) == 0;
        Random restrictions = new Random(seed * 131 + 11);
        double restricted = restrictions.nextInt(4) == 0 ? 0.05 + 0.2 * restrictions.nextDouble() : 0;
        this.graph = SimGraph.random(random, size, fragile, features, gpu, slow, restrictions, restricted);
        this.latePercent = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(5);
        this.nthreadsMax = 1 + random.nextInt(3);
        int allowedFailures = 1 + random.nextInt(3);
        double saturation = switch (random.nextInt(4)) {
            case 0 -> Double.POSITIVE_INFINITY;
            case 1 -> 1.0;
            case 2 -> 2.0;
            default -> SchedulerConfig.DEFAULT_WORKER_SATURATION;
        };
        this.ttl = random.nextInt(3) == 0 ? 30 + random.nextInt(70) : 0;
        SchedulerConfig config = new SchedulerConfig(true, 5_000, allowedFailures, ttl, 0)
                .withWorkerSaturation(saturation).withWorkStealing(false);
        this.scheduler = new SchedulerState(config, null, () -> now);
        int initialWorkers = 2 + random.nextInt(4);
        this.horizon = 20 + random.nextInt(300);
        this.description = "seed " + seed + ": " + size + " tasks, " + initialWorkers + " workers of <= " + nthreadsMax
                + " threads, horizon " + horizon + " ms, late " + latePercent + "%, frag " + Math.round(fragile * 100)
                + "%, saturation " + saturation + ", allowed failures " + allowedFailures + ", worker TTL " + ttl
                + ", GPU tasks " + Math.round(gpu * 100) + "%, seceding " + Math.round(slow * 100) + "%, restricted "
                + Math.round(restricted * 100) + "%"
                + (chaos ? ", chaos" : "");
        plan(initialWorkers);
    }

    // ---------------------------------------------------------------- the scenario

    /** Schedules the workers, the clients' actions and the faults of this seed. */
    private void plan(int initialWorkers) {
        for (int i = 0; i < initialWorkers; i++) {
            startWorker();
        }
        List<String> keys = graph.keys();
        int nclients = 1 + random.nextInt(3);
        for (int c = 0; c < nclients; c++) {
            SimClient client = new SimClient("c" + c);
            clients.put(client.name, client);
            int graphs = 1 + random.nextInt(3);
            for (int g = 0; g < graphs; g++) {
                // the first graph of c0 always holds the last key, so every seed computes something
                Set<String> wanted = new LinkedHashSet<>();
                if (c == 0 && g == 0) {
                    wanted.add(keys.get(keys.size() - 1));
                }
                int n = 1 + random.nextInt(Math.max(1, keys.size() / 4));
                for (int i = 0; i < n; i++) {
                    wanted.add(keys.get(random.nextInt(keys.size())));
                }
                long at = g == 0 && c == 0 ? 0 : random.nextInt((int) horizon);
                at(at, client.name + " submits " + wanted.size() + " keys", () -> submit(client, wanted));
            }
            if (random.nextInt(3) == 0) {
                at(random.nextInt((int) horizon), client.name + " releases keys", () -> release(client));
            }
            if (random.nextInt(4) == 0) {
                at(random.nextInt((int) horizon), client.name + " cancels keys", () -> cancel(client));
            }
            if (random.nextInt(c == 0 ? 6 : 3) == 0) {
                at(random.nextInt((int) horizon) + 1, client.name + " leaves", () -> leave(client));
            }
        }
        if (random.nextInt(3) == 0) {
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                at(random.nextInt((int) horizon), "reschedule", this::reschedule);
            }
        }
        if (random.nextInt(15) == 0) {
            at(random.nextInt((int) horizon), "restart", this::restart);
        }
        if (ttl > 0) {
            at(HEARTBEAT_MILLIS, "worker TTL check", this::checkWorkerTtl);
        }
        int kills = random.nextInt(3) + (chaos ? 2 + features.nextInt(4) : 0);
        for (int i = 0; i < kills; i++) {
            at(random.nextInt((int) horizon), "kill a worker", this::killWorker);
        }
        int joins = random.nextInt(3) + (chaos ? 1 + features.nextInt(3) : 0);
        for (int i = features.nextInt(4) == 0 ? 1 + features.nextInt(2) : 0; i > 0; i--) {
            at(features.nextInt((int) horizon), "a worker's connection breaks", this::dropConnection);
        }
        for (int i = 0; i < joins; i++) {
            at(random.nextInt((int) horizon), "start a worker", this::startWorker);
        }
        if (random.nextInt(3) == 0) {
            at(random.nextInt((int) horizon), "retire a worker", this::retireWorker);
        }
        if (random.nextInt(5) < 3) {
            for (long t = random.nextInt(5); t < horizon; t += 1 + random.nextInt(10)) {
                at(t, "steal", this::steal);
            }
        }
    }

    void submit(SimClient client, Set<String> wanted) {
        if (client.gone) {
            return;
        }
        if (!client.connected) {
            client.connected = true;
            scheduler.addClient(client.name);
        }
        List<TaskSpec> specs = graph.closure(wanted);
        client.wants.addAll(wanted);
        scheduler.updateGraph(client.name, specs, wanted, stimulus("update-graph"), now);
        flushScheduler();
    }

    /** About a third of the keys a connected client wants (none if it wants nothing or left), no longer wanted. */
    private List<String> someWantedKeys(SimClient client) {
        List<String> keys = new ArrayList<>();
        if (!client.gone && client.connected) {
            for (String key : client.wants) {
                if (random.nextInt(3) == 0) {
                    keys.add(key);
                }
            }
        }
        keys.forEach(client.wants::remove);
        return keys;
    }

    void release(SimClient client) {
        if (client.gone || !client.connected || client.wants.isEmpty()) {
            return;
        }
        List<String> keys = someWantedKeys(client);
        count("client releases keys");
        scheduler.releaseKeys(client.name, keys, stimulus("client-releases-keys"));
        flushScheduler();
        if (!keys.isEmpty() && random.nextBoolean()) {
            // and wants some of them again later: the keys may be anywhere between released and forgotten
            Set<String> again = new LinkedHashSet<>(keys.subList(0, 1 + random.nextInt(keys.size())));
            after(1 + random.nextInt(30), client.name + " wants " + again + " again", () -> {
                count("client wants released keys again");
                submit(client, again);
            });
        }
    }

    void leave(SimClient client) {
        if (client.gone) {
            return;
        }
        client.gone = true;
        client.wants.clear();
        if (client.connected) {
            count("client leaves");
            scheduler.removeClient(client.name, stimulus("remove-client"));
            flushScheduler();
        }
    }

    /** A random dependable worker, if it is not the last one; else null. */
    private SimWorker oneToSpare() {
        List<SimWorker> candidates = dependableWorkers();
        return candidates.size() < 2 ? null : candidates.get(random.nextInt(candidates.size()));
    }

    /** The client cancels some keys it wants (sometimes with force, for every client): they and their dependents go. */
    void cancel(SimClient client) {
        if (client.gone || !client.connected || client.wants.isEmpty()) {
            return;
        }
        List<String> keys = someWantedKeys(client);
        boolean force = random.nextInt(4) == 0;
        count(force ? "cancel with force" : "cancel");
        scheduler.cancel(client.name, keys, force, now, stimulus("cancel"));
        flushScheduler(SchedulerInstruction.ReportCancelled.class);
    }

    /** Every task is dropped; clients are told their keys are gone, and some submit again. */
    void restart() {
        count("restart");
        scheduler.restart(null, now, stimulus("restart"));
        flushScheduler(SchedulerInstruction.ReportForgotten.class);
        for (SimClient client : clients.values()) {
            client.wants.clear();
            if (!client.gone && client.connected && random.nextBoolean()) {
                List<String> keys = graph.keys();
                Set<String> again = Set.of(keys.get(random.nextInt(keys.size())));
                after(1 + random.nextInt(20), client.name + " submits " + again + " after the restart",
                        () -> submit(client, again));
            }
        }
    }

    /** Dask's {@code Scheduler.reschedule} of a processing task. */
    void reschedule() {
        TaskState ts = anyProcessing();
        if (ts != null) {
            count("reschedule");
            scheduler.reschedule(ts.key(), random.nextBoolean() ? ts.processingOn() : null, stimulus("reschedule"));
            flushScheduler();
        }
    }

    /**
     * The scheduler's periodic worker-TTL check: a worker whose heartbeats were late (a slow
     * connection) is removed and told to close, though it is alive and its messages still arrive.
     */
    void checkWorkerTtl() {
        Map<String, Set<String>> processing = new HashMap<>();
        scheduler.workers().forEach((address, ws) -> processing.put(address, Set.copyOf(ws.processing())));
        for (String removed : scheduler.checkWorkerTtl(now, stimulus("check-worker-ttl"))) {
            count("worker removed by the TTL while alive");
            processingOnLostWorker.addAll(processing.get(removed));
        }
        flushScheduler();
        if (now < horizon) {
            after(HEARTBEAT_MILLIS, "worker TTL check", this::checkWorkerTtl);
        }
    }

    /** A worker's heartbeats, over its connection, until the horizon (or a new connection). */
    private void heartbeat(SimWorker w, int epoch) {
        if (!w.alive || now >= horizon || w.epoch != epoch) {
            return;
        }
        toScheduler(w, "heartbeat", () -> scheduler.heartbeat(w.address, now));
        after(HEARTBEAT_MILLIS, w.address + " heartbeat", () -> heartbeat(w, epoch));
    }

    /** The workers that may still be counted on: alive, not retiring. */
    private List<SimWorker> dependableWorkers() {
        List<SimWorker> out = new ArrayList<>();
        for (SimWorker w : workers.values()) {
            if (w.alive && !w.retiring) {
                out.add(w);
            }
        }
        return out;
    }

    /** A worker process starts and registers with the scheduler over its connection. */
    void startWorker() {
        startWorker(graph.needsGpu.isEmpty() || nextWorker > 0 && features.nextBoolean() ? 0 : 1 + features.nextInt(2));
    }

    /** @param gpus how many GPUs the worker offers (the first one always has one if some task needs it) */
    private void startWorker(int gpus) {
        String address;
        do {
            address = "w" + nextWorker++;
        } while (workers.containsKey(address));
        startWorker(address, gpus);
    }

    /** A worker process under {@code address} (a new one, if an earlier process had that address). */
    private void startWorker(String address, int gpus) {
        int nthreads = 1 + random.nextInt(nthreadsMax);
        Map<String, Double> resources = gpus == 0 ? Map.of() : Map.of(SimGraph.GPU, (double) gpus);
        SimWorker w = new SimWorker(address, nthreads,
                new WorkerState(address, nthreads, resources, null, true, 2_000, () -> now));
        w.resources = resources;
        workers.put(address, w);
        if (now > 0) {
            count("worker joins mid-run");
        }
        register(w);
    }

    /** The worker joins over its current connection, and heartbeats over it if the scheduler has a TTL. */
    private void register(SimWorker w) {
        int epoch = w.epoch;
        toScheduler(w, "register", () -> {
            w.schedulerEpoch = epoch;
            scheduler.addWorker(w.address, w.nthreads, w.resources, stimulus("add-worker"));
            flushScheduler();
        });
        if (ttl > 0) {
            heartbeat(w, w.epoch);
        }
    }

    /**
     * A worker's connection to the scheduler breaks, the process lives on. As {@code WorkerProcess}
     * does: the scheduler removes the worker (what was in flight either way is lost); the worker,
     * once it notices, drops everything it holds (its runs go on, orphaned) and joins again under
     * the same address with a new connection, after the scheduler removed it.
     */
    void dropConnection() {
        SimWorker w = oneToSpare();
        if (w == null || !w.connected) {
            return;
        }
        count("connection lost, worker joins again");
        w.connected = false;
        w.epoch++;
        long removed = now + latency();
        at(removed, "scheduler notices the connection of " + w.address + " broke", () -> removeWorker(w));
        long noticed = now + latency();
        at(noticed, w.address + " notices it lost the scheduler", () -> {
            if (!w.alive) {
                return;
            }
            restartWorker(w, "scheduler-lost");
            flushWorker(w);
            at(Math.max(now, removed) + 1 + random.nextInt(20), w.address + " connects again", () -> {
                if (w.alive) {
                    w.connected = true;
                    register(w);
                }
            });
        });
    }

    /**
     * A worker dies abruptly (never the last dependable one). Either its connection is reset (what
     * it sent and is still in flight is lost; the scheduler notices after a while) or closed (what
     * it sent still arrives, then the close).
     */
    void killWorker() {
        SimWorker w = oneToSpare();
        if (w == null) {
            return;
        }
        w.alive = false;
        if (random.nextBoolean()) {
            count("worker lost, connection reset");
            w.connected = false;
            after(latency(), "scheduler notices " + w.address + " is gone", () -> removeWorker(w));
        } else {
            count("worker lost, connection closed");
            closeConnection(w);
        }
    }

    /** The worker closes its connection: what it sent before still arrives, then the scheduler removes it. */
    private void closeConnection(SimWorker w) {
        toScheduler(w, "connection closed", () -> {
            w.connected = false;
            removeWorker(w);
        });
    }

    private void removeWorker(SimWorker w) {
        WorkerRecord record = scheduler.workers().get(w.address);
        if (record != null) {
            processingOnLostWorker.addAll(record.processing());
        }
        scheduler.removeWorker(w.address, stimulus("remove-worker"));
        flushScheduler();
    }

    void retireWorker() {
        SimWorker w = oneToSpare();
        if (w == null) {
            return;
        }
        w.retiring = true;
        count("retire asked");
        scheduler.retireWorkers(List.of(w.address), stimulus("retire-workers"));
        flushScheduler();
    }

    /** What the work-stealing plugin does: ask to move a processing task to another worker. */
    void steal() {
        List<String> thieves = new ArrayList<>(scheduler.workers().keySet());
        TaskState ts = anyProcessing();
        if (ts == null || thieves.size() < 2) {
            return;
        }
        thieves.remove(ts.processingOn());
        String thief = thieves.get(random.nextInt(thieves.size()));
        scheduler.stealRequest(ts.key(), thief, stimulus("steal"));
        flushScheduler();
    }

    /** A random processing task, or null. */
    private TaskState anyProcessing() {
        List<TaskState> processing = new ArrayList<>();
        for (TaskState ts : scheduler.tasks().values()) {
            if (ts.state() == SchedulerTaskState.PROCESSING) {
                processing.add(ts);
            }
        }
        if (processing.isEmpty()) {
            return null;
        }
        processing.sort(Comparator.comparing(TaskState::key));
        return processing.get(random.nextInt(processing.size()));
    }

    // ---------------------------------------------------------------- the scheduler's loop

    /** The scheduler's side of the hop worker → scheduler: as {@code SchedulerNode.workerReports}. */
    void deliverToScheduler(SimWorker from, WorkerInstruction sent) {
        String worker = from.address;
        WorkerInstruction report = wire == null ? sent : wire.toScheduler(sent);
        if (report instanceof WorkerInstruction.TaskFinishedMsg m) {
            scheduler.taskFinished(m.key(), worker, m.runId(), m.nbytes(), m.typeName(), m.startstops(),
                    m.stimulusId());
        } else if (report instanceof WorkerInstruction.TaskErredMsg m) {
            scheduler.taskErred(m.key(), worker, m.runId(), m.exceptionText(), m.traceback(), m.startstops(),
                    m.stimulusId());
        } else if (report instanceof WorkerInstruction.MissingDataMsg m) {
            scheduler.missingData(m.key(), m.peer(), worker, m.stimulusId());
        } else if (report instanceof WorkerInstruction.StealResponseMsg m) {
            if (m.state() == WorkerTaskState.WAITING || m.state() == WorkerTaskState.READY) {
                count("steal succeeded on the worker");
            }
            scheduler.stealResponse(m.key(), worker, m.state(), m.stimulusId());
        } else if (report instanceof WorkerInstruction.LongRunningMsg m) {
            scheduler.taskLongRunning(m.key(), worker, m.runId(), m.stimulusId());
        } else {
            throw new AssertionError("a worker sent the scheduler " + report);
        }
    }

    /**
     * The scheduler's output after a stimulus, sent as {@code SchedulerNode.flush} sends it: per
     * worker the frees (one message), then the computes, then the control messages; reports to clients.
     */
    void flushScheduler() {
        flushScheduler(null);
    }

    /** @param drops the report, besides memory and erred, this stimulus may send clients (cancelled, forgotten) */
    private void flushScheduler(Class<?> drops) {
        expectedDrops = drops;
        List<SchedulerInstruction> out = scheduler.drainInstructions();
        Map<String, List<String>> free = new LinkedHashMap<>();
        Map<String, List<SchedulerInstruction>> compute = new LinkedHashMap<>();
        Map<String, List<SchedulerInstruction>> control = new LinkedHashMap<>();
        String freeStimulus = null;
        for (SchedulerInstruction i : out) {
            if (i instanceof SchedulerInstruction.FreeKeys f) {
                free.computeIfAbsent(f.worker(), w -> new ArrayList<>()).addAll(f.keys());
                freeStimulus = freeStimulus == null ? f.stimulusId() : freeStimulus;
            } else if (i instanceof SchedulerInstruction.ComputeTask c) {
                compute.computeIfAbsent(c.worker(), w -> new ArrayList<>()).add(c);
            } else if (i instanceof SchedulerInstruction.ToWorker w) {
                if (i instanceof SchedulerInstruction.StealRequest) {
                    count("steal requested");
                }
                control.computeIfAbsent(w.worker(), x -> new ArrayList<>()).add(i);
            } else if (i instanceof SchedulerInstruction.ToClient r) {
                reportToClient(r.client(), i);
            } else {
                throw new AssertionError("instruction with no destination: " + i);
            }
        }
        for (Map.Entry<String, List<String>> e : free.entrySet()) {
            toWorker(e.getKey(), List.of(new SchedulerInstruction.FreeKeys(e.getKey(), e.getValue(), freeStimulus)));
        }
        compute.forEach(this::toWorker);
        control.forEach(this::toWorker);
        for (var outcome : scheduler.drainRetireOutcomes()) {
            count(outcome.retired() ? "worker retired" : "retirement given up");
        }
    }

    private void reportToClient(String name, SchedulerInstruction report) {
        SimClient client = clients.get(name);
        if (client == null || client.gone) {
            throw new AssertionError("a report for a client that left: " + report);
        }
        if (report instanceof SchedulerInstruction.ReportMemory r) {
            client.lastReport.put(r.key(), r);
        } else if (report instanceof SchedulerInstruction.ReportErred r) {
            client.lastReport.put(r.key(), r);
        } else if (report instanceof SchedulerInstruction.ReportForgotten r) {
            // only a restart forgets a key a client wants
            check(expectedDrops == SchedulerInstruction.ReportForgotten.class || !client.wants.contains(r.key()),
                    () -> client.name + " still wants " + r.key() + " but is told it is forgotten; story: "
                            + scheduler.story(r.key()));
            client.lastReport.put(r.key(), r);
        } else if (report instanceof SchedulerInstruction.ReportCancelled r) {
            check(expectedDrops == SchedulerInstruction.ReportCancelled.class, () -> client.name + " is told "
                    + r.key() + " is cancelled, but nobody cancelled anything");
            client.wants.remove(r.key()); // cancelled as a dependent of a cancelled key, or by force
            client.lastReport.put(r.key(), r);
        }
    }

    // ---------------------------------------------------------------- a worker's loop

    /** The worker's side of the hop scheduler → worker: as {@code WorkerNode.computeTasks/freeKeys/control}. */
    void deliverToWorker(SimWorker w, SchedulerInstruction sent) {
        SchedulerInstruction instruction = wire == null ? sent : wire.toWorker(w.address, sent);
        if (instruction instanceof SchedulerInstruction.ComputeTask c) {
            String on = graph.strictlyOn.get(c.key());
            if (on != null) {
                check(on.equals(w.address), () -> c.key() + " may run only on " + on + " but is sent to " + w.address);
                count("restricted task checked");
            }
            w.state.computeTask(c);
        } else if (instruction instanceof SchedulerInstruction.FreeKeys f) {
            w.state.freeKeys(f.keys(), f.stimulusId());
        } else if (instruction instanceof SchedulerInstruction.StealRequest r) {
            w.state.stealRequest(r.key(), r.stimulusId());
        } else if (instruction instanceof SchedulerInstruction.AcquireReplicas a) {
            count("replicas asked for");
            w.state.acquireReplicas(a.whoHas(), a.stimulusId());
        } else if (instruction instanceof SchedulerInstruction.CloseWorker c) {
            // the worker closes (LocalCluster then removes it, which the scheduler already did)
            w.alive = false;
            closeConnection(w);
        } else if (instruction instanceof SchedulerInstruction.RestartWorker r) {
            restartWorker(w, r.stimulusId());
        } else {
            throw new AssertionError("the simulation does not send " + instruction);
        }
    }

    /** As {@code WorkerNode.restart}: free until nothing more goes (a result kept for a local dependent goes after it). */
    private void restartWorker(SimWorker w, String stimulusId) {
        int before;
        do {
            before = w.state.tasks().size();
            w.state.freeKeys(new ArrayList<>(w.state.tasks().keySet()), stimulusId);
        } while (!w.state.tasks().isEmpty() && w.state.tasks().size() < before);
    }

    /** The worker's output, performed as {@code WorkerNode.flush} does. */
    void flushWorker(SimWorker w) {
        List<WorkerInstruction> toScheduler = new ArrayList<>();
        for (WorkerInstruction i : w.state.drainInstructions()) {
            if (i instanceof WorkerInstruction.Execute e) {
                execute(w, e);
            } else if (i instanceof WorkerInstruction.GatherDep g) {
                gather(w, g);
            } else if (i instanceof WorkerInstruction.Rejoin r) {
                Runnable goOn = w.rejoining.remove(r.key());
                if (goOn == null) {
                    throw new AssertionError(w.address + " lets " + r.key() + " rejoin, which did not ask to");
                }
                goOn.run();
            } else {
                toScheduler.add(i);
            }
        }
        if (!toScheduler.isEmpty()) {
            toScheduler(w, describe(toScheduler), () -> {
                for (WorkerInstruction report : toScheduler) {
                    deliverToScheduler(w, report);
                }
                flushScheduler();
            });
        }
    }

    /**
     * Runs a task function for a random virtual time; a dead worker's runs never return. A
     * {@code slow} run secedes from the thread pool after a while, later asks to rejoin, and goes on
     * once the worker lets it (as a task calling {@code TaskContext.secede()} and {@code rejoin()}).
     */
    private void execute(SimWorker w, WorkerInstruction.Execute e) {
        long start = now;
        String key = e.key();
        if (!e.function().equals("slow")) {
            after(1 + random.nextInt(30), w.address + " finishes running " + key, () -> runReturns(w, e, start));
            return;
        }
        after(1 + random.nextInt(10), w.address + ": " + key + " secedes", () -> {
            if (!w.alive) {
                return;
            }
            count("secede");
            w.state.secede(key, stimulus("secede-" + key));
            flushWorker(w);
            after(1 + random.nextInt(30), w.address + ": " + key + " asks to rejoin", () -> {
                if (!w.alive) {
                    return;
                }
                w.rejoining.put(key, () -> after(1 + random.nextInt(10), w.address + " finishes running " + key,
                        () -> runReturns(w, e, start)));
                w.state.rejoin(key, stimulus("rejoin-" + key));
                flushWorker(w);
            });
        });
    }

    private void runReturns(SimWorker w, WorkerInstruction.Execute e, long start) {
        if (!w.alive) {
            return;
        }
        Long value;
        try {
            value = SimFunctions.apply(e.function(), e.args());
        } catch (ArithmeticException failure) {
            w.state.executeFailure(e.key(), SimFunctions.exceptionText(failure), "at " + e.function(), start, now,
                    stimulus("task-erred-" + e.key()));
            flushWorker(w);
            return;
        }
        w.state.executeSuccess(e.key(), value, start, now, stimulus("task-finished-" + e.key()));
        flushWorker(w);
    }

    /**
     * A transfer: the request crosses to the peer, which answers with the keys it holds then; a
     * peer that is gone answers with a failure (the connection attempt fails).
     */
    private void gather(SimWorker w, WorkerInstruction.GatherDep g) {
        long start = now;
        String sid = g.stimulusId();
        send(w.address + ">" + g.peer(), w.address + " asks " + g.peer() + " for " + g.keys(), () -> {
            SimWorker peer = workers.get(g.peer());
            if (peer == null || !peer.alive) {
                count("transfer from a lost worker");
                send(g.peer() + ">" + w.address, w.address + " cannot reach " + g.peer(), () -> {
                    if (w.alive) {
                        w.state.gatherDepFailure(g.peer(), g.keys(), "peer " + g.peer() + " is gone",
                                "gather-dep-failure-" + sid);
                        flushWorker(w);
                    }
                });
                return;
            }
            Map<String, Object> data = new HashMap<>();
            for (String key : g.keys()) {
                if (peer.state.hasData(key)) {
                    data.put(key, peer.state.data(key));
                }
            }
            if (data.size() < g.keys().size()) {
                count("transfer of a key the peer no longer has");
            }
            send(g.peer() + ">" + w.address, g.peer() + " sends " + w.address + " " + data.keySet(), () -> {
                if (w.alive) {
                    w.state.gatherDepSuccess(g.peer(), data, start, now, "gather-dep-success-" + sid);
                    flushWorker(w);
                }
            });
        });
    }

    // ---------------------------------------------------------------- the network

    /** Sends one batch of a scheduler turn to a worker; lost if the worker is gone when it arrives. */
    private void toWorker(String address, List<? extends SchedulerInstruction> batch) {
        SimWorker w = workers.get(address);
        if (w == null) {
            throw new AssertionError("the scheduler sent to a worker that never existed: " + batch);
        }
        int epoch = w.schedulerEpoch; // the scheduler sends on the connection it knows, even if it broke
        send("s>" + address + "#" + epoch, "s>" + address + " " + describe(batch), () -> {
            if (!w.alive || w.epoch != epoch) {
                return;
            }
            for (SchedulerInstruction i : batch) {
                deliverToWorker(w, i);
            }
            flushWorker(w);
        });
    }

    /** A message on a worker's connection to the scheduler; lost if the connection was reset. */
    private void toScheduler(SimWorker w, String what, Runnable delivered) {
        int epoch = w.epoch;
        send(w.address + "#" + epoch + ">s", w.address + ">s " + what, () -> {
            if (w.connected && w.epoch == epoch) {
                delivered.run();
            }
        });
    }

    /** Delivers on a FIFO connection after a random latency: never before what was sent on it earlier. */
    private void send(String connection, String what, Runnable action) {
        long at = now + latency();
        Long tail = channelTail.get(connection);
        if (tail != null && tail > at) {
            at = tail; // same time: the sequence number keeps the order
        }
        channelTail.put(connection, at);
        at(at, what, action);
    }

    private long latency() {
        long latency = 1 + random.nextInt(4);
        if (chaos && features.nextInt(100) < 15 || latePercent > 0 && random.nextInt(100) < latePercent) {
            count("late message");
            latency += 20 + random.nextInt(200);
        }
        return latency;
    }

    private void after(long delay, String what, Runnable action) {
        at(now + delay, what, action);
    }

    private void at(long time, String what, Runnable action) {
        queue.add(new Event(time, seq++, what, action));
    }

    // ---------------------------------------------------------------- running

    /** Runs every event until none is left (starting a worker if every one is gone and work waits). */
    void run() {
        while (true) {
            Event e = queue.poll();
            if (e == null) {
                if (!rescue()) {
                    return;
                }
                continue;
            }
            if (++eventsRun > MAX_EVENTS) {
                throw new AssertionError("no quiescence after " + MAX_EVENTS + " events");
            }
            now = e.time();
            if (recent.size() == LOG_SIZE) {
                recent.removeFirst();
            }
            recent.addLast("t=" + e.time() + " #" + e.seq() + " " + e.what());
            if (GREP != null && e.what().contains(GREP)) {
                System.out.println(recent.getLast());
            }
            e.action().run();
        }
    }

    /**
     * With no worker left while tasks wait, or no worker with a GPU while a task that needs one has
     * no worker, a worker with a GPU joins (as an adaptive cluster would).
     */
    private boolean rescue() {
        if (rescues >= MAX_RESCUES) {
            return false;
        }
        List<SimWorker> dependable = dependableWorkers();
        boolean gpuThere = dependable.stream()
                .anyMatch(w -> w.state.resources().total().getOrDefault(SimGraph.GPU, 0.0) > 0);
        for (TaskState ts : scheduler.tasks().values()) {
            if (isStuck(ts) && (dependable.isEmpty()
                    || !gpuThere && ts.state() == SchedulerTaskState.NO_WORKER && graph.needsGpu.contains(ts.key()))) {
                rescues++;
                count("rescue worker");
                startWorker(1);
                return true;
            }
        }
        for (TaskState ts : scheduler.tasks().values()) {
            String on = graph.strictlyOn.get(ts.key());
            SimWorker there = on == null ? null : workers.get(on);
            if (ts.state() == SchedulerTaskState.NO_WORKER && on != null && (there == null || !there.alive)) {
                rescues++;
                count("the worker a task is restricted to joins");
                startWorker(on, 1);
                return true;
            }
        }
        return false;
    }

    String stimulus(String kind) {
        return kind + "-" + nextStimulus++;
    }

    void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    /** The last events run, oldest first, one a line. */
    String recentEvents() {
        return String.join("\n", recent);
    }

    private static String describe(List<?> instructions) {
        StringBuilder b = new StringBuilder();
        for (Object i : instructions) {
            if (b.length() > 0) {
                b.append(", ");
            }
            String text = i.toString();
            // "ComputeTask[worker=w1, key=inc-3, function=..." -> "ComputeTask[worker=w1, key=inc-3"
            int cut = text.indexOf(", function=");
            if (cut < 0) {
                cut = text.indexOf(", startstops=");
            }
            b.append(cut > 0 ? text.substring(0, cut) + "]" : text);
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- the end state

    /**
     * At quiescence: the invariants hold; no task is stuck; every key a remaining client wants is in
     * memory with the right value on live workers that hold it, or erred blaming a key whose function
     * really fails on its inputs (or KilledWorker, for a key that was running on a lost worker); the
     * client was last told so; workers hold exactly what the scheduler thinks; nothing unneeded is kept.
     */
    void checkQuiescent() {
        scheduler.validate();
        for (SimWorker w : workers.values()) {
            if (w.alive) {
                w.state.validate();
            }
        }
        List<TaskState> stuck = new ArrayList<>();
        for (TaskState ts : scheduler.tasks().values()) {
            if (isStuck(ts)) {
                stuck.add(ts);
            }
        }
        if (!stuck.isEmpty()) {
            // the first in the chain: a stuck task none of whose dependencies is stuck
            stuck.sort(Comparator.comparing(TaskState::key));
            TaskState first = stuck.stream().filter(ts -> ts.dependencies().stream().noneMatch(SimCluster::isStuck))
                    .findFirst().orElse(stuck.get(0));
            throw new AssertionError(stuck.size() + " tasks stuck with no event left, first " + first + "; story: "
                    + scheduler.story(first.key()) + workerStories(first.key()) + dependencyStories(first));
        }
        for (SimClient client : clients.values()) {
            if (!client.gone) {
                for (String key : client.wants) {
                    checkWanted(client, key);
                }
            }
        }
        for (TaskState ts : scheduler.tasks().values()) {
            if (ts.state() == SchedulerTaskState.MEMORY) {
                checkValue(ts);
            }
        }
        checkWorkersAgree();
        checkNothingUnneededKept();
    }

    private void checkWanted(SimClient client, String key) {
        TaskState ts = scheduler.tasks().get(key);
        check(ts != null, () -> client.name + " wants " + key + ", which the scheduler forgot");
        check(ts.wantedBy().contains(client.name), () -> client.name + " wants " + key + " but the scheduler has "
                + ts.wantedBy());
        SchedulerInstruction last = client.lastReport.get(key);
        SimGraph.Outcome expected = graph.expected.get(key);
        if (ts.state() == SchedulerTaskState.MEMORY) {
            check(last instanceof SchedulerInstruction.ReportMemory,
                    () -> client.name + " was last told " + last + " about " + key + ", in memory");
        } else if (ts.state() == SchedulerTaskState.ERRED) {
            String blame = ts.exceptionBlame();
            String text = ts.exceptionText();
            if (text != null && text.startsWith("KilledWorker")) {
                count("KilledWorker");
                check(processingOnLostWorker.contains(blame), () -> key + " erred with KilledWorker blaming " + blame
                        + ", which never ran on a lost worker; story: " + scheduler.story(blame));
            } else {
                check(expected.erred(), () -> key + " erred (" + text + ", blamed on " + blame + ") but must be "
                        + expected.value() + "; story: " + scheduler.story(key) + "; blamed's: "
                        + scheduler.story(blame) + workerStories(blame));
                check(expected.blames().contains(blame), () -> key + " erred blaming " + blame
                        + ", but only these keys' functions fail on its inputs: " + expected.blames());
                check(Objects.equals(graph.failureText.get(blame), text), () -> key + " erred with '" + text
                        + "', but " + blame + " fails with '" + graph.failureText.get(blame) + "'");
                count("erred key checked");
            }
            check(last instanceof SchedulerInstruction.ReportErred r && blame.equals(r.blamedKey()),
                    () -> client.name + " was last told " + last + " about " + key + ", erred blaming " + blame);
        } else {
            throw new AssertionError(client.name + " wants " + key + ", which is " + ts.state() + "; story: "
                    + scheduler.story(key));
        }
    }

    private void checkValue(TaskState ts) {
        SimGraph.Outcome expected = graph.expected.get(ts.key());
        check(!expected.erred(), () -> ts.key() + " is in memory but its function fails on its inputs; story: "
                + scheduler.story(ts.key()));
        check(!ts.whoHas().isEmpty(), () -> ts.key() + " in memory nowhere");
        for (String holder : ts.whoHas()) {
            SimWorker w = workers.get(holder);
            check(w != null && w.alive, () -> ts.key() + " said to be held by " + holder + ", which is gone");
            check(w.state.hasData(ts.key()), () -> ts.key() + " said to be held by " + holder
                    + ", which does not hold it" + workerStories(ts.key()) + "\nscheduler: " + scheduler.story(ts.key()));
            Object value = w.state.data(ts.key());
            check(expected.value().equals(value), () -> ts.key() + " on " + holder + " is " + value + ", must be "
                    + expected.value() + workerStories(ts.key()));
            count("value checked");
            if (graph.needsGpu.contains(ts.key())) {
                count("GPU task checked");
            }

        }
    }

    /**
     * Every worker the scheduler knows is up, runs nothing and holds exactly what the scheduler
     * thinks; every worker process still up is known to it.
     */
    private void checkWorkersAgree() {
        for (SimWorker w : workers.values()) {
            check(!w.alive || scheduler.workers().containsKey(w.address), () -> w.address
                    + " is up but the scheduler does not count it");
        }
        for (WorkerRecord ws : scheduler.workers().values()) {
            SimWorker w = workers.get(ws.address());
            check(w.alive && w.connected, () -> "the scheduler still counts " + ws.address() + ", which is gone");
            Set<String> held = new LinkedHashSet<>();
            for (WorkerTask task : w.state.tasks().values()) {
                WorkerTaskState s = task.state();
                if (s == WorkerTaskState.MEMORY) {
                    held.add(task.key());
                } else if (s == WorkerTaskState.ERROR) {
                    TaskState ts = scheduler.tasks().get(task.key());
                    check(ts != null && ts.state() == SchedulerTaskState.ERRED, () -> w.address + " keeps the error of "
                            + task.key() + ", which is " + (ts == null ? "forgotten" : ts.state())
                            + " on the scheduler" + workerStories(task.key()));
                } else {
                    check(false, () -> w.address + " has " + task.key() + " " + s + " with nothing left to happen"
                            + workerStories(task.key()) + "\nscheduler: " + scheduler.story(task.key()));
                }
            }
            check(held.equals(ws.hasWhat()), () -> {
                Set<String> extra = new LinkedHashSet<>(held);
                extra.removeAll(ws.hasWhat());
                Set<String> lacking = new LinkedHashSet<>(ws.hasWhat());
                lacking.removeAll(held);
                String first = extra.isEmpty() ? lacking.iterator().next() : extra.iterator().next();
                return w.address + " holds " + extra + " unknown to the scheduler, lacks " + lacking
                        + " the scheduler thinks it has; " + first + ": scheduler " + scheduler.story(first)
                        + workerStories(first);
            });
            check(w.state.orphanedRunCount() == 0, () -> w.address + " still has orphaned runs");
        }
    }

    /** Every task left is wanted by a client or needed by one that is (else it leaks). */
    private void checkNothingUnneededKept() {
        Set<String> needed = new HashSet<>();
        List<TaskState> todo = new ArrayList<>();
        for (TaskState ts : scheduler.tasks().values()) {
            if (!ts.wantedBy().isEmpty()) {
                todo.add(ts);
            }
        }
        while (!todo.isEmpty()) {
            TaskState ts = todo.remove(todo.size() - 1);
            if (needed.add(ts.key())) {
                todo.addAll(ts.dependencies());
            }
        }
        for (TaskState ts : scheduler.tasks().values()) {
            check(needed.contains(ts.key()), () -> "kept though no wanted key depends on it: " + ts + "; story: "
                    + scheduler.story(ts.key()));
        }
    }

    private static boolean isStuck(TaskState ts) {
        SchedulerTaskState s = ts.state();
        return s != SchedulerTaskState.MEMORY && s != SchedulerTaskState.ERRED && s != SchedulerTaskState.RELEASED;
    }

    private String dependencyStories(TaskState ts) {
        StringBuilder b = new StringBuilder();
        for (TaskState dep : ts.dependencies()) {
            b.append("\ndependency ").append(dep).append(" on ").append(dep.processingOn()).append(": ")
                    .append(scheduler.story(dep.key())).append(workerStories(dep.key()));
        }
        return b.toString();
    }

    /** Each worker's story of {@code key}; where it waits there, the state and story of its dependencies too. */
    private String workerStories(String key) {
        StringBuilder b = new StringBuilder();
        for (SimWorker w : workers.values()) {
            var story = w.state.story(key);
            if (!story.isEmpty()) {
                b.append("\n").append(w.address).append(w.alive ? "" : " (gone)").append(": ").append(story);
            }
            WorkerTask task = w.alive ? w.state.tasks().get(key) : null;
            if (task != null && task.state() == WorkerTaskState.WAITING) {
                for (String dep : task.dependencyKeys()) {
                    WorkerTask d = w.state.tasks().get(dep);
                    b.append("\n  ").append(w.address).append(" dependency ").append(dep).append(' ')
                            .append(d == null ? "unknown" : d.state()).append(": ").append(w.state.story(dep));
                }
            }
        }
        return b.toString();
    }

    private static void check(boolean ok, java.util.function.Supplier<String> message) {
        if (!ok) {
            throw new AssertionError(message.get());
        }
    }
}
