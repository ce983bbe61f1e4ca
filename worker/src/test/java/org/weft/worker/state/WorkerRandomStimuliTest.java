package org.weft.worker.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
import org.weft.node.WorkerInstruction;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.protocol.TaskRef;

/**
 * Long random sequences of stimuli against one {@link WorkerState} with validation on: compute
 * requests with local and remote dependencies, results and errors of the runs it started,
 * transfers that land, come back partial or fail, and frees. The executor and the peers are
 * simulated from the instructions drained. At the end everything outstanding completes, the
 * scheduler frees every key, and the worker must hold nothing and have no thread busy.
 *
 * <p>One method per kind of stimulus, registered with a weight in {@link Run#stimuli()}; add new
 * ones (steal requests, secede, resources) there. Rerun one seed with {@code -Dweft.random.seed=N}.
 */
class WorkerRandomStimuliTest {

    private static final int STEPS = 3000;
    private static final List<String> PEERS = List.of("w2", "w3", "w4");

    static LongStream seeds() {
        String fixed = System.getProperty("weft.random.seed");
        if (fixed != null) {
            return LongStream.of(Long.parseLong(fixed));
        }
        return LongStream.of(1, 2, 3, System.nanoTime());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomStimuliKeepTheWorkerConsistentAndItEndsEmpty(long seed) {
        Run run = new Run(seed);
        try {
            run.steps(STEPS);
            run.quiesce();
            for (String edge : List.of("released->waiting", "waiting->ready", "ready->executing", "executing->memory",
                    "executing->error", "executing->released", "released->fetch", "fetch->flight", "flight->memory",
                    "flight->missing", "missing->fetch", "missing->released", "flight->released", "waiting->released",
                    "ready->released", "memory->released", "error->released", "released->forgotten")) {
                assertTrue(run.edges.contains(edge), "never took " + edge + "; took " + run.edges);
            }
        } catch (Throwable t) {
            String where = "seed " + seed + " (rerun with -Dweft.random.seed=" + seed + "), step " + run.step
                    + ", last stimulus " + run.lastStimulus;
            System.err.println("WorkerRandomStimuliTest failed at " + where);
            throw new AssertionError(where + ": " + t, t);
        }
    }

    private record Stimulus(String name, int weight, BooleanSupplier action) {
    }

    private static final class Run {
        final Random random;
        final int nthreads;
        final WorkerState state;
        final List<Stimulus> stimuli;
        int totalWeight;
        int step;
        String lastStimulus = "none";
        int nextKey;
        int nextStimulus;
        /** Keys the simulated scheduler asked this worker to compute and has not freed. */
        final Set<String> requested = new LinkedHashSet<>();
        /** Every key ever requested here (candidates for local dependencies). */
        final List<String> everRequested = new ArrayList<>();
        /** Runs the executor is busy with (orphaned ones included), in start order. */
        final List<String> runs = new ArrayList<>();
        /** Transfers asked of each peer and not yet answered. */
        final Map<String, Set<String>> transfers = new LinkedHashMap<>();
        /** The edges taken, to show the run is not vacuous. */
        final Set<String> edges = new java.util.TreeSet<>();

        Run(long seed) {
            random = new Random(seed);
            nthreads = 1 + random.nextInt(3);
            state = new WorkerState("w1", nthreads, new WorkerEvents() {
                @Override
                public void transition(WorkerTask task, WorkerTaskState start, WorkerTaskState finish, String stim) {
                    edges.add(start + "->" + finish);
                }
            }, true, 500);
            stimuli = stimuli();
            for (Stimulus s : stimuli) {
                totalWeight += s.weight();
            }
        }

        List<Stimulus> stimuli() {
            return List.of(
                    new Stimulus("compute", 10, this::compute),
                    new Stimulus("compute again", 2, this::computeAgain),
                    new Stimulus("execute success", 10, this::executeSuccess),
                    new Stimulus("execute failure", 2, this::executeFailure),
                    new Stimulus("transfer lands", 6, this::transferLands),
                    new Stimulus("transfer fails", 2, this::transferFails),
                    new Stimulus("free keys", 5, this::freeKeys));
        }

        String stimulusId(String kind) {
            return kind + "-" + (nextStimulus++);
        }

        <T> T any(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }

        void steps(int n) {
            for (step = 0; step < n; step++) {
                for (int attempt = 0; attempt < 20; attempt++) {
                    int r = random.nextInt(totalWeight);
                    Stimulus pick = null;
                    for (Stimulus s : stimuli) {
                        r -= s.weight();
                        if (r < 0) {
                            pick = s;
                            break;
                        }
                    }
                    lastStimulus = pick.name();
                    if (pick.action().getAsBoolean()) {
                        break;
                    }
                }
                deliver();
            }
        }

        // ---------------------------------------------------------------- stimuli

        boolean compute() {
            String key = "k" + (nextKey++);
            List<Object> args = new ArrayList<>();
            Map<String, Set<String>> whoHas = new LinkedHashMap<>();
            int deps = random.nextInt(3);
            for (int d = 0; d < deps; d++) {
                if (!everRequested.isEmpty() && random.nextBoolean()) {
                    String local = any(everRequested);
                    args.add(new TaskRef(local));
                    if (state.hasData(local)) {
                        whoHas.put(local, Set.of("w1"));
                    }
                } else {
                    String remote = "r" + random.nextInt(40);
                    args.add(new TaskRef(remote));
                    Set<String> holders = new LinkedHashSet<>();
                    holders.add(any(PEERS));
                    if (random.nextBoolean()) {
                        holders.add(any(PEERS));
                    }
                    whoHas.put(remote, holders);
                }
            }
            send(key, args, whoHas);
            return true;
        }

        void send(String key, List<Object> args, Map<String, Set<String>> whoHas) {
            requested.add(key);
            everRequested.add(key);
            state.computeTask(new ComputeTask("w1", key, "f", args, whoHas,
                    new TaskPriority(0, 0, random.nextInt(5)), Map.of(), stimulusId("compute")));
        }

        /** The scheduler sends a key again (a retry after an error, or after a free). */
        boolean computeAgain() {
            if (everRequested.isEmpty()) {
                return false;
            }
            send(any(everRequested), List.of(), Map.of());
            return true;
        }

        boolean executeSuccess() {
            if (runs.isEmpty()) {
                return false;
            }
            String key = runs.remove(random.nextInt(runs.size()));
            state.executeSuccess(key, key.length(), step, step + 1, stimulusId("execute-success"));
            return true;
        }

        boolean executeFailure() {
            if (runs.isEmpty()) {
                return false;
            }
            String key = runs.remove(random.nextInt(runs.size()));
            state.executeFailure(key, "boom", "at f", step, step + 1, stimulusId("execute-failure"));
            return true;
        }

        /** The oldest transfer from some peer answers, possibly without some keys (missing there). */
        boolean transferLands() {
            if (transfers.isEmpty()) {
                return false;
            }
            String peer = any(new ArrayList<>(transfers.keySet()));
            Map<String, Object> data = new LinkedHashMap<>();
            for (String key : transfers.remove(peer)) {
                if (random.nextInt(6) > 0) {
                    data.put(key, key);
                }
            }
            state.gatherDepSuccess(peer, data, step, step + 1, stimulusId("gather-success"));
            return true;
        }

        boolean transferFails() {
            if (transfers.isEmpty()) {
                return false;
            }
            String peer = any(new ArrayList<>(transfers.keySet()));
            state.gatherDepFailure(peer, transfers.remove(peer), "connection refused", stimulusId("gather-failure"));
            return true;
        }

        boolean freeKeys() {
            if (requested.isEmpty()) {
                return false;
            }
            List<String> keys = new ArrayList<>();
            for (String key : requested) {
                if (random.nextInt(3) == 0) {
                    keys.add(key);
                }
            }
            requested.removeAll(keys);
            state.freeKeys(keys, stimulusId("free-keys"));
            return !keys.isEmpty();
        }

        // ---------------------------------------------------------------- the simulated executor, peers, scheduler

        void deliver() {
            for (WorkerInstruction i : state.drainInstructions()) {
                if (i instanceof WorkerInstruction.Execute e) {
                    assertTrue(!runs.contains(e.key()), "started twice: " + e);
                    runs.add(e.key());
                    assertTrue(runs.size() <= nthreads, runs.size() + " runs on " + nthreads + " threads");
                    for (Object arg : e.args()) {
                        assertTrue(!(arg instanceof TaskRef), "reference not substituted: " + e);
                    }
                } else if (i instanceof WorkerInstruction.GatherDep g) {
                    assertTrue(!transfers.containsKey(g.peer()), "two transfers at once from " + g.peer());
                    assertTrue(PEERS.contains(g.peer()), "asked a peer that holds nothing: " + g);
                    transfers.put(g.peer(), new LinkedHashSet<>(g.keys()));
                } else if (i instanceof WorkerInstruction.TaskFinishedMsg f) {
                    assertTrue(requested.contains(f.key()), "reported a key the scheduler freed: " + f);
                    assertTrue(state.hasData(f.key()), "reported without holding it: " + f);
                } else if (i instanceof WorkerInstruction.TaskErredMsg f) {
                    assertTrue(requested.contains(f.key()), "reported an error for a freed key: " + f);
                    assertEquals(WorkerTaskState.ERROR, state.tasks().get(f.key()).state());
                }
            }
        }

        /** Everything outstanding completes, then the scheduler frees every key: nothing may remain. */
        void quiesce() {
            lastStimulus = "quiesce";
            for (int round = 0; !runs.isEmpty() || !transfers.isEmpty(); round++) {
                assertTrue(round < 100_000, "no quiescence");
                if (!runs.isEmpty()) {
                    String key = runs.remove(0);
                    state.executeSuccess(key, 1, step, step + 1, stimulusId("execute-success"));
                } else {
                    String peer = transfers.keySet().iterator().next();
                    Map<String, Object> data = new LinkedHashMap<>();
                    for (String key : transfers.remove(peer)) {
                        data.put(key, key);
                    }
                    state.gatherDepSuccess(peer, data, step, step + 1, stimulusId("gather-success"));
                }
                deliver();
            }
            state.freeKeys(new ArrayList<>(requested), stimulusId("free-all"));
            requested.clear();
            deliver();
            assertEquals(Map.of(), Map.copyOf(state.tasks()), "left after every key was freed");
            assertEquals(0, state.executingCount());
            assertEquals(0, state.orphanedRunCount());
            assertEquals(0, state.readyCount());
            assertTrue(runs.isEmpty() && transfers.isEmpty());
        }
    }
}
