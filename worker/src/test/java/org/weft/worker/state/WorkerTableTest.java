package org.weft.worker.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.plugin.api.WorkerTaskState.CANCELLED;
import static org.weft.plugin.api.WorkerTaskState.CONSTRAINED;
import static org.weft.plugin.api.WorkerTaskState.ERROR;
import static org.weft.plugin.api.WorkerTaskState.EXECUTING;
import static org.weft.plugin.api.WorkerTaskState.FETCH;
import static org.weft.plugin.api.WorkerTaskState.FLIGHT;
import static org.weft.plugin.api.WorkerTaskState.FORGOTTEN;
import static org.weft.plugin.api.WorkerTaskState.LONG_RUNNING;
import static org.weft.plugin.api.WorkerTaskState.MEMORY;
import static org.weft.plugin.api.WorkerTaskState.MISSING;
import static org.weft.plugin.api.WorkerTaskState.READY;
import static org.weft.plugin.api.WorkerTaskState.RELEASED;
import static org.weft.plugin.api.WorkerTaskState.RESCHEDULED;
import static org.weft.plugin.api.WorkerTaskState.RESUMED;
import static org.weft.plugin.api.WorkerTaskState.WAITING;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.WorkerInstruction.Execute;
import org.weft.node.WorkerInstruction.GatherDep;
import org.weft.node.WorkerInstruction.LongRunningMsg;
import org.weft.node.WorkerInstruction.MissingDataMsg;
import org.weft.node.WorkerInstruction.TaskErredMsg;
import org.weft.node.WorkerInstruction.TaskFinishedMsg;
import org.weft.node.WorkerInstruction;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.protocol.TaskRef;

/**
 * One test per edge of {@link WorkerTransitionTable} that a stimulus takes, driven through {@link WorkerState}'s
 * stimuli with validation on, asserting the exact transitions a worker plugin sees and the
 * instructions produced; then every pair that is not an edge.
 */
class WorkerTableTest {

    private static final String SELF = "w1";

    private final List<String> seen = new ArrayList<>();
    private WorkerState state;

    private static final Map<String, Double> ONE_GPU = Map.of("GPU", 1.0);

    private WorkerState worker(int nthreads) {
        return worker(nthreads, Map.of());
    }

    private WorkerState worker(int nthreads, Map<String, Double> resources) {
        state = new WorkerState(SELF, nthreads, resources, new WorkerEvents() {
            @Override
            public void transition(WorkerTask task, WorkerTaskState start, WorkerTaskState finish, String stimulusId) {
                assertEquals(finish, task.state(), "reported after it was applied");
                assertTrue(WorkerTransitionTable.allows(start, finish), start + " -> " + finish + " is no edge");
                seen.add(task.key() + ":" + start + "->" + finish);
            }
        }, true, 1000);
        return state;
    }

    private List<String> take() {
        List<String> out = List.copyOf(seen);
        seen.clear();
        return out;
    }

    private List<WorkerInstruction> drain() {
        return state.drainInstructions();
    }

    private static ComputeTask compute(String key, List<Object> args, Map<String, Set<String>> whoHas, String stim) {
        return new ComputeTask(SELF, key, "fn-" + key, args, whoHas, new TaskPriority(0, 0, 0), Map.of(), stim);
    }

    private static ComputeTask compute(String key, String stim) {
        return compute(key, List.of(), Map.of(), stim);
    }

    private static ComputeTask compute(String key, Map<String, Double> resources, String stim) {
        return new ComputeTask(SELF, key, "fn-" + key, List.of(), Map.of(), new TaskPriority(0, 0, 0), resources, stim);
    }

    /** a ran and seceded: long-running, holding no thread. */
    private void aLongRunning() {
        state.computeTask(compute("a", "s1"));
        state.secede("a", "s2");
        drain();
        take();
    }

    /** c needs x, which only w2 holds: c waiting, x in flight from w2. */
    private void cNeedsXFromW2() {
        state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of("x", Set.of("w2")), "s-c"));
        assertEquals(List.of(new GatherDep("w2", Set.of("x"), "s-c")), drain());
        take();
    }

    private static TaskFinishedMsg finishedMsg(String key, Object value, Startstop startstop, String stim) {
        return new TaskFinishedMsg(key, Sizes.estimate(value), value.getClass().getSimpleName(), List.of(startstop),
                stim);
    }

    // ---------------------------------------------------------------- released ->

    @Test
    void releasedToWaiting_andWaitingToReady_andReadyToExecuting_whenComputeArrives() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        assertEquals(List.of("a:released->waiting", "a:waiting->ready", "a:ready->executing"), take());
        assertEquals(List.of(new Execute("a", "fn-a", List.of(), "s1")), drain());
    }

    @Test
    void releasedToFetch_andFetchToFlight_whenADependencyIsHeldByAPeer() {
        worker(1);
        state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of("x", Set.of("w2")), "s1"));
        assertEquals(List.of("c:released->waiting", "x:released->fetch", "x:fetch->flight"), take());
        assertEquals(List.of(new GatherDep("w2", Set.of("x"), "s1")), drain());
    }

    @Test
    void releasedToForgotten_whenAnOrphanedRunReturns() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        state.freeKeys(List.of("a"), "f1");
        drain();
        take();
        state.executeSuccess("a", 1, 1, 2, "late");
        assertEquals(List.of("a:released->forgotten"), take());
        assertEquals(List.of(), drain(), "an orphaned result is not reported");
    }

    // ---------------------------------------------------------------- waiting ->

    @Test
    void waitingToConstrained_andConstrainedToExecuting_whenItsResourcesAreFree() {
        worker(1, ONE_GPU);
        state.computeTask(compute("a", ONE_GPU, "s1"));
        assertEquals(List.of("a:released->waiting", "a:waiting->constrained", "a:constrained->executing"), take());
        assertEquals(List.of(new Execute("a", "fn-a", List.of(), "s1")), drain());
    }

    @Test
    void waitingToReleased_whenTheSchedulerFreesIt() {
        worker(1);
        cNeedsXFromW2();
        state.freeKeys(List.of("c"), "f1");
        assertEquals(List.of("c:waiting->released", "c:released->forgotten", "x:flight->released",
                "x:released->forgotten"), take());
        assertEquals(List.of(), drain());
    }

    // ---------------------------------------------------------------- ready ->

    @Test
    void readyToExecuting_whenAThreadFrees() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        state.computeTask(compute("b", "s2"));
        assertEquals(List.of("a:released->waiting", "a:waiting->ready", "a:ready->executing", "b:released->waiting",
                "b:waiting->ready"), take());
        drain();
        state.executeSuccess("a", 1, 1, 2, "s3");
        assertEquals(List.of("a:executing->memory", "b:ready->executing"), take());
        assertEquals(List.of(finishedMsg("a", 1, new Startstop("compute", 1, 2, null), "s3"),
                new Execute("b", "fn-b", List.of(), "s3")), drain());
    }

    @Test
    void readyToReleased_whenTheSchedulerFreesIt() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        state.computeTask(compute("b", "s2"));
        drain();
        take();
        state.freeKeys(List.of("b"), "f1");
        assertEquals(List.of("b:ready->released", "b:released->forgotten"), take());
        assertEquals(List.of(), drain());
        assertEquals(0, state.readyCount());
    }

    // ---------------------------------------------------------------- constrained ->

    @Test
    void constrainedToExecuting_whenTheResourcesComeBack() {
        worker(2, ONE_GPU);
        state.computeTask(compute("a", ONE_GPU, "s1"));
        state.computeTask(compute("b", ONE_GPU, "s2"));
        assertEquals(List.of("a:released->waiting", "a:waiting->constrained", "a:constrained->executing",
                "b:released->waiting", "b:waiting->constrained"), take(), "a thread is free, the GPU is not");
        drain();
        state.executeSuccess("a", 1, 1, 2, "s3");
        assertEquals(List.of("a:executing->memory", "b:constrained->executing"), take());
        assertEquals(List.of(finishedMsg("a", 1, new Startstop("compute", 1, 2, null), "s3"),
                new Execute("b", "fn-b", List.of(), "s3")), drain());
    }

    @Test
    void constrainedToReleased_whenTheSchedulerFreesIt() {
        worker(1, ONE_GPU);
        state.computeTask(compute("a", ONE_GPU, "s1"));
        state.computeTask(compute("b", ONE_GPU, "s2"));
        drain();
        take();
        state.freeKeys(List.of("b"), "f1");
        assertEquals(List.of("b:constrained->released", "b:released->forgotten"), take());
        assertEquals(List.of(), drain());
        assertEquals(0, state.constrainedCount());
    }

    // ---------------------------------------------------------------- executing ->

    @Test
    void executingToMemory_whenTheFunctionReturns() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        drain();
        take();
        state.executeSuccess("a", "v", 5, 6, "s2");
        assertEquals(List.of("a:executing->memory"), take());
        assertEquals(List.of(finishedMsg("a", "v", new Startstop("compute", 5, 6, null), "s2")), drain());
    }

    @Test
    void executingToError_whenTheFunctionThrows() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        drain();
        take();
        state.executeFailure("a", "boom", "at fn-a", 5, 6, "s2");
        assertEquals(List.of("a:executing->error"), take());
        assertEquals(List.of(new TaskErredMsg("a", "boom", "at fn-a", List.of(new Startstop("compute", 5, 6, null)),
                "s2")), drain());
    }

    @Test
    void executingToLongRunning_whenTheFunctionSecedes() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        state.computeTask(compute("b", "s2"));
        drain();
        take();
        state.secede("a", "s3");
        assertEquals(List.of("a:executing->long-running", "b:ready->executing"), take());
        assertEquals(List.of(new LongRunningMsg("a", "s3"), new Execute("b", "fn-b", List.of(), "s3")), drain());
    }

    @Test
    void executingToReleased_whenTheSchedulerFreesItTheRunIsOrphaned() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        drain();
        take();
        state.freeKeys(List.of("a"), "f1");
        assertEquals(List.of("a:executing->released"), take());
        assertEquals(List.of(), drain());
        assertEquals(1, state.orphanedRunCount());
    }

    // ---------------------------------------------------------------- long-running ->

    @Test
    void longRunningToMemory_whenTheSecededFunctionReturns() {
        worker(1);
        aLongRunning();
        state.executeSuccess("a", "v", 5, 6, "s3");
        assertEquals(List.of("a:long-running->memory"), take());
        assertEquals(List.of(finishedMsg("a", "v", new Startstop("compute", 5, 6, null), "s3")), drain());
    }

    @Test
    void longRunningToError_whenTheSecededFunctionThrows() {
        worker(1);
        aLongRunning();
        state.executeFailure("a", "boom", "at fn-a", 5, 6, "s3");
        assertEquals(List.of("a:long-running->error"), take());
        assertEquals(List.of(new TaskErredMsg("a", "boom", "at fn-a", List.of(new Startstop("compute", 5, 6, null)),
                "s3")), drain());
    }

    @Test
    void longRunningToReleased_whenTheSchedulerFreesItTheRunIsOrphaned() {
        worker(1);
        aLongRunning();
        state.freeKeys(List.of("a"), "f1");
        assertEquals(List.of("a:long-running->released"), take());
        assertEquals(List.of(), drain());
        assertEquals(1, state.orphanedRunCount());
    }

    // ---------------------------------------------------------------- fetch ->

    @Test
    void fetchToReleased_whenTheDependentWaitingForABusyPeerIsFreed() {
        worker(1);
        cNeedsXFromW2();
        state.computeTask(compute("d", List.of(new TaskRef("z")), Map.of("z", Set.of("w2")), "s-d"));
        assertEquals(List.of("d:released->waiting", "z:released->fetch"), take(), "w2 is busy with x");
        assertEquals(List.of(), drain());
        state.freeKeys(List.of("d"), "f1");
        assertEquals(List.of("d:waiting->released", "d:released->forgotten", "z:fetch->released",
                "z:released->forgotten"), take());
        assertEquals(List.of(), drain());
    }

    // ---------------------------------------------------------------- flight ->

    @Test
    void flightToMemory_whenTheTransferLands() {
        worker(1);
        cNeedsXFromW2();
        state.gatherDepSuccess("w2", Map.of("x", 3), 1, 2, "g1");
        assertEquals(List.of("x:flight->memory", "c:waiting->ready", "c:ready->executing"), take());
        assertEquals(List.of(new Execute("c", "fn-c", List.of(3), "g1")), drain());
    }

    @Test
    void flightToMissing_whenThePeerDoesNotHaveIt() {
        worker(1);
        cNeedsXFromW2();
        state.gatherDepSuccess("w2", Map.of(), 1, 2, "g1");
        assertEquals(List.of("x:flight->missing"), take());
        assertEquals(List.of(new MissingDataMsg("x", "w2", "g1")), drain());
    }

    @Test
    void flightToMissing_whenTheTransferFails() {
        worker(1);
        cNeedsXFromW2();
        state.gatherDepFailure("w2", List.of("x"), "refused", "g1");
        assertEquals(List.of("x:flight->missing"), take());
        assertEquals(List.of(new MissingDataMsg("x", "w2", "g1")), drain());
    }

    @Test
    void flightToReleased_whenTheDependentIsFreedAndTheLateDataIsIgnored() {
        worker(1);
        cNeedsXFromW2();
        state.freeKeys(List.of("c"), "f1");
        assertEquals(List.of("c:waiting->released", "c:released->forgotten", "x:flight->released",
                "x:released->forgotten"), take());
        state.gatherDepSuccess("w2", Map.of("x", 1), 1, 2, "g1");
        assertEquals(List.of(), take());
        assertEquals(List.of(), drain());
    }

    // ---------------------------------------------------------------- missing ->

    @Test
    void missingToFetch_whenTheSchedulerNamesAnotherHolder() {
        worker(1);
        cNeedsXFromW2();
        state.gatherDepSuccess("w2", Map.of(), 1, 2, "g1");
        drain();
        take();
        state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of("x", Set.of("w3")), "s2"));
        assertEquals(List.of("x:missing->fetch", "x:fetch->flight"), take());
        assertEquals(List.of(new GatherDep("w3", Set.of("x"), "s2")), drain());
    }

    @Test
    void missingToWaiting_whenTheMissingKeyWasToBeComputedHere() {
        worker(1);
        cNeedsXFromW2();
        state.computeTask(compute("x", "s-x"));
        assertEquals(List.of(), take(), "x is in flight: reported when it lands, computed here if it does not");
        state.gatherDepFailure("w2", List.of("x"), "refused", "g1");
        assertEquals(List.of("x:flight->missing", "x:missing->waiting", "x:waiting->ready", "x:ready->executing"),
                take());
        assertEquals(List.of(new MissingDataMsg("x", "w2", "g1"), new Execute("x", "fn-x", List.of(), "g1")), drain());
    }

    @Test
    void missingToReleased_whenTheDependentIsFreed() {
        worker(1);
        cNeedsXFromW2();
        state.gatherDepSuccess("w2", Map.of(), 1, 2, "g1");
        drain();
        take();
        state.freeKeys(List.of("c"), "f1");
        assertEquals(List.of("c:waiting->released", "c:released->forgotten", "x:missing->released",
                "x:released->forgotten"), take());
        assertTrue(state.tasks().isEmpty());
    }

    // ---------------------------------------------------------------- memory / error ->

    @Test
    void memoryToReleased_whenTheSchedulerFreesIt() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        state.executeSuccess("a", 1, 1, 2, "s2");
        drain();
        take();
        state.freeKeys(List.of("a"), "f1");
        assertEquals(List.of("a:memory->released", "a:released->forgotten"), take());
        assertEquals(List.of(), drain());
    }

    @Test
    void errorToReleased_whenTheSchedulerSendsTheTaskAgain() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        state.executeFailure("a", "boom", null, 1, 2, "s2");
        drain();
        take();
        state.computeTask(compute("a", "retry"));
        assertEquals(List.of("a:error->released", "a:released->waiting", "a:waiting->ready", "a:ready->executing"),
                take());
        assertEquals(List.of(new Execute("a", "fn-a", List.of(), "retry")), drain());
    }

    @Test
    void errorToReleased_whenTheSchedulerFreesIt() {
        worker(1);
        state.computeTask(compute("a", "s1"));
        state.executeFailure("a", "boom", null, 1, 2, "s2");
        drain();
        take();
        state.freeKeys(List.of("a"), "f1");
        assertEquals(List.of("a:error->released", "a:released->forgotten"), take());
    }

    // ---------------------------------------------------------------- pairs not in the table

    private static final List<WorkerTaskState> REACHABLE =
            List.of(RELEASED, WAITING, READY, CONSTRAINED, EXECUTING, LONG_RUNNING, FETCH, FLIGHT, MISSING, MEMORY,
                    ERROR);

    static Stream<Arguments> pairsNotInTheTable() {
        List<Arguments> pairs = new ArrayList<>();
        for (WorkerTaskState start : REACHABLE) {
            for (WorkerTaskState finish : WorkerTaskState.values()) {
                if (finish != start && !WorkerTransitionTable.allows(start, finish)) {
                    pairs.add(Arguments.of(start, finish));
                }
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairsNotInTheTable")
    void pairNotInTheTableGoesThroughReleasedOrThrowsWithTheStory(WorkerTaskState start, WorkerTaskState finish) {
        worker(1);
        String key = bringATaskTo(start);
        assertEquals(start, state.tasks().get(key).state());
        drain();
        take();
        try {
            state.transition(key, finish, "by-hand");
            List<String> legs = take().stream().filter(t -> t.startsWith(key + ":")).toList();
            assertTrue(legs.size() >= 2, legs.toString());
            assertEquals(key + ":" + start + "->released", legs.get(0));
            assertEquals(key + ":released->" + finish, legs.get(1));
        } catch (IllegalStateException e) {
            if (e.getMessage().startsWith("Worker " + SELF + " is inconsistent")) {
                // Both legs were taken, but a request by hand carries no payload: fetch needs peers, and
                // forgetting a task that local dependents or an orphaned run still need breaks the links.
                // No stimulus does this; validation catches it.
                assertTrue(finish == FETCH || finish == FORGOTTEN, start + " -> " + finish + ": " + e.getMessage());
                List<String> legs = take().stream().filter(t -> t.startsWith(key + ":")).toList();
                assertEquals(List.of(key + ":" + start + "->released", key + ":released->" + finish),
                        legs.subList(0, 2));
                return;
            }
            assertTrue(e.getMessage().startsWith("Illegal worker transition of '" + key + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("story of '" + key + "'"), e.getMessage());
            boolean bothLegsInTable = WorkerTransitionTable.allows(start, RELEASED)
                    && WorkerTransitionTable.allows(RELEASED, finish);
            if (!bothLegsInTable) {
                assertEquals(List.of(), take(), "refused before anything changed");
            }
        }
    }

    /** Brings a task {@code x} to {@code target} through stimuli; returns its key. */
    private String bringATaskTo(WorkerTaskState target) {
        switch (target) {
            case RELEASED -> state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of(), "s1"));
            case WAITING -> state.computeTask(compute("x", List.of(new TaskRef("y")), Map.of("y", Set.of("w2")), "s1"));
            case READY -> {
                state.computeTask(compute("a", "s1"));
                state.computeTask(compute("x", "s2"));
            }
            case CONSTRAINED -> state.computeTask(compute("x", ONE_GPU, "s1")); // this worker has no GPU
            case EXECUTING -> state.computeTask(compute("x", "s1"));
            case LONG_RUNNING -> {
                state.computeTask(compute("x", "s1"));
                state.secede("x", "s2");
            }
            case FETCH -> {
                state.computeTask(compute("c", List.of(new TaskRef("y")), Map.of("y", Set.of("w2")), "s1"));
                state.computeTask(compute("d", List.of(new TaskRef("x")), Map.of("x", Set.of("w2")), "s2"));
            }
            case FLIGHT -> state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of("x", Set.of("w2")), "s1"));
            case MISSING -> {
                state.computeTask(compute("c", List.of(new TaskRef("x")), Map.of("x", Set.of("w2")), "s1"));
                state.gatherDepSuccess("w2", Map.of(), 1, 2, "g1");
            }
            case MEMORY -> {
                state.computeTask(compute("x", "s1"));
                state.executeSuccess("x", 1, 1, 2, "s2");
            }
            case ERROR -> {
                state.computeTask(compute("x", "s1"));
                state.executeFailure("x", "boom", null, 1, 2, "s2");
            }
            default -> throw new IllegalArgumentException("cannot reach " + target + " yet");
        }
        return "x";
    }

    @Test
    void theTableIsExactlyTheDocumentedOne() {
        Map<WorkerTaskState, Set<WorkerTaskState>> documented = new EnumMap<>(WorkerTaskState.class);
        for (WorkerTaskState s : WorkerTaskState.values()) {
            documented.put(s, Set.of());
        }
        documented.put(RELEASED, EnumSet.of(WAITING, FETCH, MISSING, MEMORY, ERROR, FORGOTTEN));
        documented.put(WAITING, EnumSet.of(READY, CONSTRAINED, RELEASED));
        documented.put(READY, EnumSet.of(EXECUTING, RELEASED));
        documented.put(CONSTRAINED, EnumSet.of(EXECUTING, RELEASED));
        documented.put(EXECUTING, EnumSet.of(MEMORY, ERROR, LONG_RUNNING, RELEASED));
        documented.put(LONG_RUNNING, EnumSet.of(MEMORY, ERROR, RELEASED));
        documented.put(FETCH, EnumSet.of(FLIGHT, MISSING, RELEASED));
        documented.put(FLIGHT, EnumSet.of(MEMORY, FETCH, MISSING, ERROR, RELEASED));
        documented.put(MISSING, EnumSet.of(FETCH, WAITING, ERROR, RELEASED));
        documented.put(MEMORY, EnumSet.of(RELEASED));
        documented.put(ERROR, EnumSet.of(RELEASED));
        // cancelled, resumed and rescheduled have no edges in this machine (see WorkerTransitionTable)
        assertEquals(Set.of(), WorkerTransitionTable.from(CANCELLED));
        assertEquals(Set.of(), WorkerTransitionTable.from(RESUMED));
        assertEquals(Set.of(), WorkerTransitionTable.from(RESCHEDULED));
        for (WorkerTaskState start : WorkerTaskState.values()) {
            for (WorkerTaskState finish : WorkerTaskState.values()) {
                assertEquals(documented.get(start).contains(finish), WorkerTransitionTable.allows(start, finish),
                        start + " -> " + finish);
            }
        }
    }
}
