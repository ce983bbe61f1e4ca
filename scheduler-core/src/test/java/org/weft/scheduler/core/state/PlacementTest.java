package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction.StealRequest;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

/** Priorities, restrictions, resources, queuing, worker choice and stealing, on the pure state machine. */
class PlacementTest {

    private final List<String> seen = new ArrayList<>();
    private SchedulerState state = newState(SchedulerConfig.DEFAULTS.withValidation(true));

    private SchedulerState newState(SchedulerConfig config) {
        SchedulerState s = new SchedulerState(config, new SchedulerEvents() {
            @Override
            public void transition(TaskState task, SchedulerTaskState start, SchedulerTaskState finish, String worker,
                    String stimulusId) {
                seen.add(task.key() + ":" + start + ">" + finish);
            }
        });
        s.addClient("c");
        return s;
    }

    private static TaskSpec noop(String key) {
        return new TaskSpec(key, "noop", List.of());
    }

    private static TaskSpec spec(String key, int priority, Set<String> workers, boolean loose, Map<String, Double> res,
            Object... args) {
        return new TaskSpec(key, "noop", List.of(args), 0, priority, workers, loose, res);
    }

    private List<ComputeTask> computes() {
        return state.drainInstructions().stream().filter(i -> i instanceof ComputeTask).map(i -> (ComputeTask) i)
                .collect(Collectors.toList());
    }

    private SchedulerTaskState stateOf(String key) {
        return state.tasks().get(key).state();
    }

    private void finish(String key, String worker, long computeMillis) {
        state.taskFinished(key, worker, 8, "Long", List.of(new Startstop("compute", 1000, 1000 + computeMillis, null)),
                "done-" + key);
    }

    private List<TaskSpec> many(String prefix, int n) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(noop(prefix + "-" + i));
        }
        return specs;
    }

    private static Set<String> keys(List<TaskSpec> specs) {
        return specs.stream().map(TaskSpec::key).collect(Collectors.toSet());
    }

    // ---------------------------------------------------------------- queuing

    @Test
    void rootishTasksBeyondWorkerSaturationWaitQueuedAndFillSlotsAsTheyOpen() {
        state.addWorker("w1", 2, "j");
        List<TaskSpec> specs = many("x", 10);
        state.updateGraph("c", specs, keys(specs), "g", 0);
        // ceil(1.1 * 2) = 3 slots
        List<ComputeTask> sent = computes();
        assertEquals(List.of("x-0", "x-1", "x-2"), sent.stream().map(ComputeTask::key).collect(Collectors.toList()));
        assertEquals(7, state.queuedCount());
        assertEquals(SchedulerTaskState.QUEUED, stateOf("x-9"));
        finish("x-0", "w1", 1);
        assertEquals(List.of("x-3"), computes().stream().map(ComputeTask::key).collect(Collectors.toList()));
        assertTrue(seen.contains("x-3:queued>processing"));
    }

    /**
     * A state whose nanosecond clock the test moves (the millisecond clock stays at 0), one worker
     * {@code w1} of one thread, {@code n} root-ish tasks {@code x-0 ..} submitted; its first computes are drained.
     *
     * @return the clock
     */
    private java.util.concurrent.atomic.AtomicLong timedGraph(int n) {
        return timedGraph(n, "w1");
    }

    private java.util.concurrent.atomic.AtomicLong timedGraph(int n, String worker) {
        return timedGraph(n, worker, SchedulerConfig.DEFAULTS.withValidation(true));
    }

    private java.util.concurrent.atomic.AtomicLong timedGraph(int n, String worker, SchedulerConfig config) {
        var nanos = new java.util.concurrent.atomic.AtomicLong();
        state = new SchedulerState(config, null, () -> 0L, nanos::get);
        state.addClient("c");
        state.addWorker(worker, 1, "j");
        List<TaskSpec> specs = many("x", n);
        state.updateGraph("c", specs, keys(specs), "g", 0);
        assertEquals(2, computes().size(), "Dask's slots while no round trip is measured");
        return nanos;
    }

    private int processingOn(String worker) {
        return state.workers.get(worker).processing.size();
    }

    @Test
    void tasksFarShorterThanTheRoundTripGetSlotsToCoverItUpToTheCap() {
        var nanos = timedGraph(200);
        nanos.addAndGet(1_000_000);
        finish("x-0", "w1", 0); // a 1 ms round trip for a task that took no measurable time
        assertEquals(0.001, state.workers.get("w1").roundTrip, 1e-12);
        assertEquals(Placement.ROUND_TRIP_SLOTS_PER_THREAD - 1, computes().size());
        assertEquals(Placement.ROUND_TRIP_SLOTS_PER_THREAD, processingOn("w1"), "at most the cap, not every task");
        assertTrue(state.queuedCount() > 0);
    }

    @Test
    void tasksShorterThanTheRoundTripGetSlotsInProportion() {
        var nanos = timedGraph(200);
        nanos.addAndGet(5_000_000);
        finish("x-0", "w1", 1); // 5 ms less 1 ms of compute: a 4 ms round trip, 1 ms tasks
        assertEquals(0.004, state.workers.get("w1").roundTrip, 1e-12);
        // ceil(1.1 * 1 thread * 4 ms / 1 ms) = 5
        assertEquals(5, processingOn("w1"));
        // x-1 was sent with x-0: not a probe; the next probe is x-2, sent behind x-1 (1 ms expected)
        finish("x-1", "w1", 1);
        assertEquals(0.004, state.workers.get("w1").roundTrip, 1e-12);
        nanos.addAndGet(4_000_000);
        finish("x-2", "w1", 1); // 4 ms, less 1 ms of compute and 1 ms waiting behind x-1: 2 ms
        assertEquals(0.8 * 0.004 + 0.2 * 0.002, state.workers.get("w1").roundTrip, 1e-12);
    }

    @Test
    void withRoundTripSlotsOffAWorkerProcessKeepsDasksSlotsUntilTheyAreTurnedOn() {
        var nanos = timedGraph(200, "w1", SchedulerConfig.DEFAULTS.withValidation(true).withRoundTripSlots(false));
        nanos.addAndGet(1_000_000);
        finish("x-0", "w1", 0);
        assertEquals(0.001, state.workers.get("w1").roundTrip, 1e-12, "still measured");
        assertEquals(List.of("x-2"), computes().stream().map(ComputeTask::key).collect(Collectors.toList()));
        assertEquals(2, processingOn("w1"), "ceil(1.1 * 1 thread), as Dask");
        state.reconfigure(state.config().withRoundTripSlots(true), "on");
        assertEquals(Placement.ROUND_TRIP_SLOTS_PER_THREAD - 2, computes().size(), "the cap at once");
        assertEquals(Placement.ROUND_TRIP_SLOTS_PER_THREAD, processingOn("w1"));
    }

    @Test
    void anInProcessWorkerKeepsDasksSlots() {
        var nanos = timedGraph(200, "inproc://worker-1");
        nanos.addAndGet(1_000_000);
        finish("x-0", "inproc://worker-1", 0);
        assertTrue(state.workers.get("inproc://worker-1").roundTrip < 0, "not measured");
        assertEquals(List.of("x-2"), computes().stream().map(ComputeTask::key).collect(Collectors.toList()));
        assertEquals(2, processingOn("inproc://worker-1"));
    }

    @Test
    void tasksLongerThanTheRoundTripKeepDasksSlots() {
        var nanos = timedGraph(20);
        nanos.addAndGet(6_000_000);
        finish("x-0", "w1", 5);
        assertEquals(0.001, state.workers.get("w1").roundTrip, 1e-12);
        assertEquals(List.of("x-2"), computes().stream().map(ComputeTask::key).collect(Collectors.toList()));
        assertEquals(2, processingOn("w1"));
    }

    @Test
    void queuingOffSendsEveryTaskAtOnce() {
        state = newState(SchedulerConfig.DEFAULTS.withValidation(true).withWorkerSaturation(Double.POSITIVE_INFINITY));
        state.addWorker("w1", 2, "j");
        List<TaskSpec> specs = many("x", 10);
        state.updateGraph("c", specs, keys(specs), "g", 0);
        assertEquals(10, computes().size());
        assertEquals(0, state.queuedCount());
    }

    @Test
    void tasksWithManyInputsAreNotRootishAndAreNotQueued() {
        state.addWorker("w1", 1, "j");
        List<TaskSpec> specs = new ArrayList<>(many("leaf", 6));
        specs.add(spec("total", 0, Set.of(), false, Map.of(), new TaskRef("leaf-0"), new TaskRef("leaf-1"),
                new TaskRef("leaf-2"), new TaskRef("leaf-3"), new TaskRef("leaf-4"), new TaskRef("leaf-5")));
        state.updateGraph("c", specs, Set.of("total"), "g", 0);
        assertTrue(state.placement.isRootish(state.tasks.get("leaf-0")));
        for (int i = 0; i < 6; i++) {
            for (ComputeTask c : computes()) {
                finish(c.key(), "w1", 1);
            }
        }
        assertFalse(state.placement.isRootish(state.tasks.get("total")));
        assertEquals(SchedulerTaskState.MEMORY, stateOf("total"));
    }

    @Test
    void aSecededTaskFreesItsSlotForQueuedWork() {
        state.addWorker("w1", 1, "j");
        List<TaskSpec> specs = many("x", 5);
        state.updateGraph("c", specs, keys(specs), "g", 0);
        assertEquals(2, computes().size());
        state.taskLongRunning("x-0", "w1", "secede");
        assertEquals(List.of("x-2"), computes().stream().map(ComputeTask::key).collect(Collectors.toList()));
        assertEquals(0.0, state.workers().get("w1").occupancy() - 2 * TaskGroup.UNKNOWN_DURATION_SECONDS, 1e-9,
                "a long-running task adds nothing to occupancy");
    }

    @Test
    void restartEmptiesTheQueueAndForgetsDurations() {
        state.addWorker("w1", 1, "j");
        List<TaskSpec> specs = many("x", 10);
        state.updateGraph("c", specs, keys(specs), "g", 0);
        finish("x-0", "w1", 3_000);
        assertEquals(3.0, state.expectedDuration("x"), 1e-9);
        assertTrue(state.queuedCount() > 0);
        state.restart("c", 0, "restart-1");
        assertEquals(0, state.queuedCount());
        assertEquals(0.0, state.workers().get("w1").occupancy(), 1e-9);
        assertEquals(TaskGroup.UNKNOWN_DURATION_SECONDS, state.expectedDuration("x"), 1e-9);
        assertEquals(Set.of("w1"), state.idleWorkers());
        state.drainInstructions();
        state.updateGraph("c", many("x", 3), keys(many("x", 3)), "g2", 0);
        assertEquals(2, computes().size(), "slots are free again after the restart");
    }

    // ---------------------------------------------------------------- priorities

    @Test
    void higherUserPriorityRunsFirstFromTheQueue() {
        state.addWorker("w1", 1, "j");
        List<TaskSpec> specs = new ArrayList<>(many("x", 6));
        specs.add(new TaskSpec("x-6", "noop", List.of(), 0, 10, Set.of(), false, Map.of()));
        state.updateGraph("c", specs, keys(specs), "g", 0);
        List<String> firstSent = computes().stream().map(ComputeTask::key).collect(Collectors.toList());
        assertEquals(List.of("x-6", "x-0"), firstSent, "the urgent task goes out first, then graph order");
        finish("x-0", "w1", 1);
        assertEquals(List.of("x-1"), computes().stream().map(ComputeTask::key).collect(Collectors.toList()));
        assertTrue(state.tasks().get("x-6").priority().compareTo(state.tasks().get("x-0").priority()) < 0);
    }

    @Test
    void graphsFurtherApartThanFifoTimeoutRunOldestFirstCloserOnesInterleave() {
        state.addWorker("w1", 1, "j");
        List<TaskSpec> first = many("a", 6);
        state.updateGraph("c", first, keys(first), "g1", 1_000);
        List<TaskSpec> close = many("b", 6);
        state.updateGraph("c", close, keys(close), "g2", 1_010);
        List<TaskSpec> late = many("z", 6);
        state.updateGraph("c", late, keys(late), "g3", 5_000);
        TaskPriority a1 = state.tasks().get("a-1").priority();
        TaskPriority b0 = state.tasks().get("b-0").priority();
        TaskPriority z0 = state.tasks().get("z-0").priority();
        assertEquals(a1.generation(), b0.generation(), "within fifo-timeout: same generation");
        assertTrue(b0.compareTo(a1) < 0, "same generation: graph order interleaves (b-0 before a-1)");
        assertTrue(z0.generation() > a1.generation());
        assertTrue(state.tasks().get("a-5").priority().compareTo(z0) < 0, "older generation first");
    }

    @Test
    void workerRunsHigherPriorityFirstToo() {
        TaskPriority high = new TaskPriority(5, 9, 9);
        TaskPriority low = new TaskPriority(0, 0, 0);
        assertTrue(high.compareTo(low) < 0);
        assertTrue(new TaskPriority(0, 1, 0).compareTo(new TaskPriority(0, 2, 0)) < 0);
        assertTrue(new TaskPriority(0, 1, 3).compareTo(new TaskPriority(0, 1, 4)) < 0);
    }

    // ---------------------------------------------------------------- restrictions and resources

    @Test
    void workerAndHostRestrictionsPickTheWorkerOrWaitInNoWorker() {
        state.addWorker("tcp://10.0.0.1:9000", 1, "j1");
        state.addWorker("tcp://10.0.0.2:9000", 1, "j2");
        state.updateGraph("c", List.of(spec("on-2", 0, Set.of("tcp://10.0.0.2:9000"), false, Map.of()),
                spec("on-host-1", 0, Set.of("10.0.0.1"), false, Map.of()),
                spec("on-3", 0, Set.of("tcp://10.0.0.3:9000"), false, Map.of())), Set.of("on-2", "on-host-1", "on-3"),
                "g", 0);
        Map<String, String> where = computes().stream().collect(Collectors.toMap(ComputeTask::key, ComputeTask::worker));
        assertEquals("tcp://10.0.0.2:9000", where.get("on-2"));
        assertEquals("tcp://10.0.0.1:9000", where.get("on-host-1"));
        assertEquals(SchedulerTaskState.NO_WORKER, stateOf("on-3"));
        state.addWorker("tcp://10.0.0.3:9000", 1, "j3");
        assertEquals("tcp://10.0.0.3:9000", computes().get(0).worker());
        assertEquals(SchedulerTaskState.PROCESSING, stateOf("on-3"));
    }

    @Test
    void looseRestrictionsRunElsewhereWhenTheNamedWorkerIsAbsent() {
        state.addWorker("tcp://10.0.0.1:9000", 1, "j1");
        state.updateGraph("c", List.of(spec("loose", 0, Set.of("tcp://10.0.0.9:9000"), true, Map.of())),
                Set.of("loose"), "g", 0);
        assertEquals("tcp://10.0.0.1:9000", computes().get(0).worker());
    }

    @Test
    void resourcesOnlyRunWhereOfferedAndAreSentWithTheTask() {
        state.addWorker("cpu", 4, Map.of(), "j1");
        state.updateGraph("c", List.of(spec("train", 0, Set.of(), true, Map.of("GPU", 1.0))), Set.of("train"), "g", 0);
        assertEquals(SchedulerTaskState.NO_WORKER, stateOf("train"), "loose does not waive resources");
        state.addWorker("gpu", 1, Map.of("GPU", 2.0), "j2");
        ComputeTask sent = computes().get(0);
        assertEquals("gpu", sent.worker());
        assertEquals(Map.of("GPU", 1.0), sent.resources());
        assertEquals(Map.of("GPU", 2.0), state.workers().get("gpu").resources());
    }

    // ---------------------------------------------------------------- decide_worker and occupancy

    @Test
    void dependentsRunWhereTheirInputsAreUnlessMovingThemIsCheaper() {
        state = newState(SchedulerConfig.DEFAULTS.withValidation(true).withBandwidth(1_000));
        state.addWorker("w1", 1, "j1");
        state.addWorker("w2", 1, "j2");
        state.updateGraph("c", List.of(noop("big"), noop("small")), Set.of("big", "small"), "g", 0);
        Map<String, String> where = computes().stream().collect(Collectors.toMap(ComputeTask::key, ComputeTask::worker));
        state.taskFinished("big", where.get("big"), 1_000_000, "byte[]", List.of(), "f1");
        state.taskFinished("small", where.get("small"), 10, "Long", List.of(), "f2");
        state.updateGraph("c", List.of(spec("both", 0, Set.of(), false, Map.of(), new TaskRef("big"),
                new TaskRef("small"))), Set.of("both"), "g2", 0);
        assertEquals(where.get("big"), computes().get(0).worker(), "fetching 10 bytes beats fetching 1 MB");
    }

    @Test
    void occupancyFollowsAMovingAverageOfDurationsPerPrefix() {
        state = newState(SchedulerConfig.DEFAULTS.withValidation(true).withWorkerSaturation(Double.POSITIVE_INFINITY));
        state.addWorker("w1", 1, "j");
        state.updateGraph("c", List.of(noop("slow-1")), Set.of("slow-1"), "g", 0);
        assertEquals(0.5, state.workers().get("w1").occupancy(), 1e-9, "unknown prefix: 0.5 s");
        finish("slow-1", "w1", 2_000);
        assertEquals(2.0, state.expectedDuration("slow"), 1e-9);
        assertEquals(0.0, state.workers().get("w1").occupancy(), 1e-9);
        state.updateGraph("c", List.of(noop("slow-2")), Set.of("slow-2"), "g2", 0);
        assertEquals(2.0, state.workers().get("w1").occupancy(), 1e-9);
        finish("slow-2", "w1", 1_000);
        assertEquals(1.5, state.expectedDuration("slow"), 1e-9, "½ old + ½ new");
    }

    @Test
    void idleAndSaturatedSetsFollowTheWork() {
        state = newState(SchedulerConfig.DEFAULTS.withValidation(true).withWorkerSaturation(Double.POSITIVE_INFINITY));
        state.addWorker("w1", 1, "j1");
        state.addWorker("w2", 1, "j2");
        state.addWorker("w3", 1, "j3");
        assertEquals(Set.of("w1", "w2", "w3"), state.idleWorkers());
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            specs.add(spec("t-" + i, 0, Set.of("w1"), false, Map.of()));
        }
        state.updateGraph("c", specs, keys(specs), "g", 0);
        assertEquals(Set.of("w2", "w3"), state.idleWorkers());
        assertEquals(Set.of("w1"), state.saturatedWorkers());
        for (int i = 0; i < 8; i++) {
            finish("t-" + i, "w1", 1);
        }
        assertEquals(Set.of("w1", "w2", "w3"), state.idleWorkers());
        assertEquals(Set.of(), state.saturatedWorkers());
    }

    // ---------------------------------------------------------------- stealing

    @Test
    void aStealConfirmedByTheVictimMovesTheTaskWithoutATransition() {
        state = newState(SchedulerConfig.DEFAULTS.withValidation(true).withWorkerSaturation(Double.POSITIVE_INFINITY));
        state.addWorker("w1", 1, "j1");
        state.updateGraph("c", List.of(noop("a"), noop("b")), Set.of("a", "b"), "g", 0);
        computes();
        state.addWorker("w2", 1, "j2");
        int transitions = seen.size();
        state.stealRequest("b", "w2", "steal-1");
        List<SchedulerInstruction> out = state.drainInstructions();
        assertEquals(List.of(new StealRequest("w1", "b", "steal-1")), out);
        state.stealResponse("b", "w1", WorkerTaskState.READY, "steal-1");
        ComputeTask moved = computes().get(0);
        assertEquals("w2", moved.worker());
        assertEquals("w2", state.tasks().get("b").processingOn());
        assertEquals(transitions, seen.size(), "plugins see no transition for a steal");
        assertTrue(state.story("b").stream().anyMatch(r -> r.stimulusId().startsWith("steal-1 (steal w1 -> w2)")));
    }

    @Test
    void aStealRejectedByTheVictimLeavesTheTaskThere() {
        state = newState(SchedulerConfig.DEFAULTS.withValidation(true).withWorkerSaturation(Double.POSITIVE_INFINITY));
        state.addWorker("w1", 1, "j1");
        state.updateGraph("c", List.of(noop("a")), Set.of("a"), "g", 0);
        computes();
        state.addWorker("w2", 1, "j2");
        state.stealRequest("a", "w2", "steal-1");
        state.drainInstructions();
        state.stealResponse("a", "w1", WorkerTaskState.EXECUTING, "steal-1");
        assertTrue(computes().isEmpty());
        assertEquals("w1", state.tasks().get("a").processingOn());
        finish("a", "w1", 1);
        assertEquals(SchedulerTaskState.MEMORY, stateOf("a"));
    }

    @Test
    void whenTheThiefLeavesBeforeTheVictimAnswersTheTaskGoesBackToTheVictim() {
        state = newState(SchedulerConfig.DEFAULTS.withValidation(true).withWorkerSaturation(Double.POSITIVE_INFINITY));
        state.addWorker("w1", 1, "j1");
        state.updateGraph("c", List.of(noop("a"), noop("b")), Set.of("a", "b"), "g", 0);
        computes();
        state.addWorker("w2", 1, "j2");
        state.stealRequest("b", "w2", "steal-1");
        state.drainInstructions();
        state.removeWorker("w2", "thief-lost");
        state.stealResponse("b", "w1", WorkerTaskState.READY, "steal-1");
        ComputeTask again = computes().get(0);
        assertEquals("w1", again.worker(), "the victim dropped it, so it is sent there again");
        finish("b", "w1", 1);
        assertEquals(SchedulerTaskState.MEMORY, stateOf("b"));
    }

    @Test
    void stealsThatCannotHappenAreRefused() {
        state.addWorker("w1", 1, "j1");
        state.addWorker("gpu", 1, Map.of("GPU", 1.0), "j2");
        state.updateGraph("c", List.of(spec("needs-gpu", 0, Set.of(), false, Map.of("GPU", 1.0))), Set.of("needs-gpu"),
                "g", 0);
        computes();
        assertFalse(state.stealTask("needs-gpu", "w1"), "thief lacks the resource");
        assertFalse(state.stealTask("needs-gpu", "gpu"), "already there");
        assertFalse(state.stealTask("unknown", "w1"));
        assertFalse(state.stealTask("needs-gpu", "nowhere"));
    }
}
