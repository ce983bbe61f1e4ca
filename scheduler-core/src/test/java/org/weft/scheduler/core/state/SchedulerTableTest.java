package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.plugin.api.SchedulerTaskState.ERRED;
import static org.weft.plugin.api.SchedulerTaskState.FORGOTTEN;
import static org.weft.plugin.api.SchedulerTaskState.MEMORY;
import static org.weft.plugin.api.SchedulerTaskState.NO_WORKER;
import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;
import static org.weft.plugin.api.SchedulerTaskState.QUEUED;
import static org.weft.plugin.api.SchedulerTaskState.RELEASED;
import static org.weft.plugin.api.SchedulerTaskState.WAITING;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction.FreeKeys;
import org.weft.node.SchedulerInstruction.ReportErred;
import org.weft.node.SchedulerInstruction.ReportMemory;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TransitionEvent;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

/**
 * One test per edge of the scheduler's transition table ({@link SchedulerTransitions}), each
 * driven through public stimuli, asserting exactly the transitions a plugin sees (start, actual
 * finish, worker) and the instructions produced. Validation is on throughout. Then every pair that
 * is not an edge: it goes through released with both legs reported, or throws with the story.
 */
class SchedulerTableTest {

    private final RecordingSchedulerEvents seen = new RecordingSchedulerEvents();
    private SchedulerState state;

    @BeforeEach
    void setUp() {
        state = new SchedulerState(SchedulerConfig.DEFAULTS.withValidation(true), seen);
        seen.state = state;
        state.addClient("c");
        seen.take();
    }

    private static TaskSpec task(String key, Object... args) {
        return new TaskSpec(key, "f", List.of(args));
    }

    /** A task only {@code worker} may run: never root-ish, so with no such worker it waits in no-worker. */
    private static TaskSpec restricted(String key, String worker, Object... args) {
        return new TaskSpec(key, "f", List.of(args), 0, 0, Set.of(worker), false, Map.of());
    }

    private static TaskSpec retried(String key, int retries, Object... args) {
        return new TaskSpec(key, "f", List.of(args), retries);
    }

    private static TaskRef ref(String key) {
        return new TaskRef(key);
    }

    private void submit(Set<String> wanted, TaskSpec... specs) {
        state.updateGraph("c", List.of(specs), wanted, "g");
    }

    private void finished(String key, String worker) {
        state.taskFinished(key, worker, 8, "Long", List.of(), "done-" + key);
    }

    private List<SchedulerInstruction> drain() {
        return state.drainInstructions();
    }

    private ComputeTask compute(String worker, String key, Map<String, Set<String>> whoHas, String stimulusId) {
        TaskState ts = state.tasks().get(key);
        return new ComputeTask(worker, key, "f", ts.args(), whoHas, ts.priority(), Map.of(), stimulusId, ts.runId);
    }

    /** One worker, a task {@code a} processing on it, everything drained. */
    private void aProcessingOnW1(int retries) {
        state.addWorker("w1", 1, "join-w1");
        submit(Set.of("a"), retried("a", retries, 1));
        drain();
        seen.take();
    }

    // ---------------------------------------------------------------- released ->

    @Test
    void releasedToWaiting_whenAGraphIsSubmitted() {
        state.addWorker("w1", 1, "join-w1");
        seen.take();
        submit(Set.of("b"), task("a", 1), task("b", ref("a")));
        assertEquals(List.of("updateGraph:c", "a:released>waiting@-", "b:released>waiting@-",
                "a:waiting>processing@w1"), seen.take(), "update_graph before the tasks transition");
        assertEquals(List.of(compute("w1", "a", Map.of(), "g")), drain());
        assertEquals("g", seen.last("b").stimulusId());
    }

    @Test
    void releasedToForgotten_whenTheDependentKeepingItGoes() {
        state.addWorker("w1", 1, "join-w1");
        submit(Set.of("b"), task("a", 1), task("b", ref("a")));
        finished("a", "w1");
        finished("b", "w1");
        drain();
        seen.take();
        assertEquals(RELEASED, state.tasks().get("a").state(), "kept while b depends on it");

        state.releaseKeys("c", List.of("b"), "rel");
        assertEquals(List.of("b:memory>forgotten@w1", "a:released>forgotten@-"), seen.takeTransitions());
        assertEquals(List.of(new FreeKeys("w1", List.of("b"), "rel")), drain());
        assertTrue(state.tasks().isEmpty());
    }

    @Test
    void releasedToErred_whenADependencyHasErredTheActualFinishIsReported() {
        state.addWorker("w1", 1, "join-w1");
        submit(Set.of("a"), task("a"));
        state.taskErred("a", "w1", "boom", "at f", List.of(), "err-a");
        drain();
        seen.take();

        state.updateGraph("c", List.of(task("b", ref("a"))), Set.of("b"), "g2");
        assertEquals(List.of("b:released>erred@-"), seen.takeTransitions(), "requested waiting, reached erred");
        assertEquals(List.of(new ReportErred("c", "b", "boom", "at f", "a")), drain());
        TransitionEvent e = seen.last("b");
        assertEquals("boom", e.exceptionText());
        assertEquals("at f", e.traceback());
        assertEquals("g2", e.stimulusId());
    }

    // ---------------------------------------------------------------- waiting ->

    @Test
    void waitingToReleased_whenTheClientReleasesItAndItsUnneededDependencyIsReleasedToo() {
        state.addWorker("w1", 1, "join-w1");
        submit(Set.of("b"), task("a", 1), task("b", ref("a")));
        drain();
        seen.take();

        state.releaseKeys("c", List.of("b"), "rel");
        assertEquals(List.of("b:waiting>released@-", "b:released>forgotten@-", "a:processing>released@w1",
                "a:released>forgotten@-"), seen.takeTransitions());
        assertEquals(List.of(new FreeKeys("w1", List.of("a"), "rel")), drain());
        assertTrue(state.tasks().isEmpty());
    }

    @Test
    void waitingToProcessing_whenTheLastDependencyIsInMemory() {
        state.addWorker("w1", 1, "join-w1");
        submit(Set.of("b"), task("a", 1), task("b", ref("a")));
        drain();
        seen.take();

        finished("a", "w1");
        assertEquals(List.of("a:processing>memory@w1", "b:waiting>processing@w1"), seen.takeTransitions());
        assertEquals(List.of(compute("w1", "b", Map.of("a", Set.of("w1")), "done-a")), drain());
    }

    @Test
    void waitingToNoWorker_whenNoWorkerMayRunARestrictedTaskTheActualFinishIsReported() {
        state.addWorker("w2", 1, "join-w2");
        seen.take();
        submit(Set.of("a"), restricted("a", "w1", 1));
        assertEquals(List.of("a:released>waiting@-", "a:waiting>no-worker@-"), seen.takeTransitions(),
                "requested processing, reached no-worker");
        assertEquals(List.of(), drain());
    }

    @Test
    void waitingToNoWorker_withQueuingOffAndNoWorkerConnected() {
        state = new SchedulerState(
                SchedulerConfig.DEFAULTS.withValidation(true).withWorkerSaturation(Double.POSITIVE_INFINITY), seen);
        seen.state = state;
        state.addClient("c");
        seen.take();
        submit(Set.of("a"), task("a", 1));
        assertEquals(List.of("a:released>waiting@-", "a:waiting>no-worker@-"), seen.takeTransitions());
        assertEquals(List.of(), drain());
    }

    @Test
    void waitingToQueued_withNoWorkerEveryGroupIsRootish() {
        submit(Set.of("a"), task("a", 1));
        assertEquals(List.of("a:released>waiting@-", "a:waiting>queued@-"), seen.takeTransitions(),
                "requested processing, reached queued (0 threads: as Dask, every group is root-ish)");
        assertEquals(List.of(), drain());
        assertEquals(1, state.queuedCount());
    }

    @Test
    void waitingToQueued_rootTasksBeyondWorkerSaturationAreQueued() {
        state.addWorker("w1", 1, "join-w1");
        seen.take();
        submit(Set.of("t-0", "t-1", "t-2", "t-3"), task("t-0"), task("t-1"), task("t-2"), task("t-3"));
        List<String> transitions = seen.takeTransitions();
        assertTrue(transitions.contains("t-0:waiting>processing@w1"), transitions.toString());
        assertTrue(transitions.contains("t-1:waiting>processing@w1"), transitions.toString());
        assertTrue(transitions.contains("t-2:waiting>queued@-"), transitions.toString());
        assertTrue(transitions.contains("t-3:waiting>queued@-"), transitions.toString());
        assertEquals(2, drain().stream().filter(i -> i instanceof ComputeTask).count(),
                "ceil(1 thread * 1.1) tasks sent, the rest queued");
        assertEquals(2, state.queuedCount());
    }

    /**
     * As Dask's {@code transition_waiting_memory}: the scheduler took b back from w1 (its input was
     * lost) and told w1 to drop it, but w1 finished b first. The result is not taken (w1 is dropping
     * it); b keeps waiting for its input, and plugins see the requested edge end in waiting.
     */
    @Test
    void waitingToMemory_whenAWorkerReportsAResultTheSchedulerTookBack_itKeepsWaiting() {
        state.addWorker("w1", 1, "join-w1");
        submit(Set.of("b"), task("a", 1), task("b", ref("a")));
        finished("a", "w1");
        state.missingData("a", "w1", "w2", "lost-a");
        assertEquals(WAITING, state.tasks().get("b").state());
        drain();
        seen.take();

        state.taskFinished("b", "w1", 8, "Long", List.of(), "late-b");
        assertEquals(List.of("b:waiting>waiting@-"), seen.takeTransitions());
        assertEquals(List.of(new FreeKeys("w1", List.of("b"), "late-b")), drain());
        assertEquals(-1, seen.last("b").nbytes(), "the dropped result is not described as the task's");
        assertEquals(Set.of(), state.tasks().get("b").whoHas());
    }

    // ---------------------------------------------------------------- queued ->

    /** One worker with one thread, root-ish t-0 and t-1 processing on it, t-2 queued. */
    private void threeRootTasksOnOneThread() {
        state.addWorker("w1", 1, "join-w1");
        submit(Set.of("t-0", "t-1", "t-2"), task("t-0"), task("t-1"), task("t-2"));
        drain();
        seen.take();
        assertEquals(QUEUED, state.tasks().get("t-2").state());
    }

    @Test
    void queuedToProcessing_whenAThreadFrees() {
        threeRootTasksOnOneThread();
        finished("t-0", "w1");
        assertEquals(List.of("t-0:processing>memory@w1", "t-2:queued>processing@w1"), seen.takeTransitions());
        assertEquals(List.of(new ReportMemory("c", "t-0"), compute("w1", "t-2", Map.of(), "done-t-0")), drain());
    }

    @Test
    void queuedToProcessing_whenAWorkerJoins() {
        submit(Set.of("a"), task("a", 1));
        seen.take();
        state.addWorker("w1", 2, "join-w1");
        assertEquals(List.of("addWorker:w1", "a:queued>processing@w1"), seen.take(),
                "add_worker before the worker is given work");
        assertEquals(List.of(compute("w1", "a", Map.of(), "join-w1")), drain());
    }

    @Test
    void queuedToReleased_whenTheClientReleasesIt() {
        threeRootTasksOnOneThread();
        state.releaseKeys("c", List.of("t-2"), "rel");
        assertEquals(List.of("t-2:queued>released@-", "t-2:released>forgotten@-"), seen.takeTransitions());
        assertEquals(List.of(), drain(), "a queued task was never sent to a worker");
        assertEquals(0, state.queuedCount());
    }

    /**
     * No stimulus errs a queued task (its inputs are in memory, and a lost input sends it back
     * through released first: recommendations run first in, first out, where Dask's run last in,
     * first out and can err it straight from queued); the edge is Dask's and is taken when asked.
     */
    @Test
    void queuedToErred_whenAskedTheEdgeIsTaken() {
        threeRootTasksOnOneThread();
        state.transition("t-2", ERRED, "by-hand");
        assertEquals(List.of("t-2:queued>erred@-"), seen.takeTransitions());
        assertEquals(0, state.queuedCount());
        assertEquals("t-2", state.tasks().get("t-2").exceptionBlame());
    }

    /**
     * A release that reaches a task while a dependent still waits on it (recommended earlier in the
     * stimulus, before the dependent started waiting again) sends it back to waiting, as Dask's
     * {@code transition_waiting_released}; found by the random test (a worker loss left an input
     * released under a waiting dependent, both stuck).
     */
    @Test
    void waitingToReleased_whileADependentWaitsOnIt_waitsAgain() {
        submit(Set.of("b"), restricted("a", "w9", 1), task("b", ref("a")));
        assertEquals(NO_WORKER, state.tasks().get("a").state());
        seen.take();
        state.transition("a", RELEASED, "stale-release");
        assertEquals(List.of("a:no-worker>released@-", "a:released>waiting@-", "a:waiting>no-worker@-"), seen.take());
        assertEquals(Set.of(state.tasks().get("a")), state.tasks().get("b").waitingOn);
        state.addWorker("w9", 1, "join-w9");
        finished("a", "w9");
        assertEquals(PROCESSING, state.tasks().get("b").state());
    }

    @Test
    void processingToReleased_whileADependentWaitsOnIt_runsAgain() {
        state.addWorker("w1", 1, "join-w1");
        submit(Set.of("b"), task("a", 1), task("b", ref("a")));
        drain();
        seen.take();
        state.transition("a", RELEASED, "stale-release");
        assertEquals(List.of("a:processing>released@w1", "a:released>waiting@-", "a:waiting>processing@w1"), seen.take());
        finished("a", "w1");
        assertEquals(PROCESSING, state.tasks().get("b").state());
    }

    // ---------------------------------------------------------------- processing ->

    @Test
    void processingToReleased_whenAFailedTaskHasRetriesLeft() {
        aProcessingOnW1(1);
        state.taskErred("a", "w1", "flaky", null, List.of(new Startstop("compute", 1, 2, null)), "err-a");
        assertEquals(List.of("a:processing>released@w1", "a:released>waiting@-", "a:waiting>processing@w1"),
                seen.takeTransitions());
        assertEquals(List.of(new FreeKeys("w1", List.of("a"), "err-a"), compute("w1", "a", Map.of(), "err-a")),
                drain());
        assertEquals(0, state.tasks().get("a").retries());
    }

    @Test
    void processingToReleased_whenTheClientReleasesIt() {
        aProcessingOnW1(0);
        state.releaseKeys("c", List.of("a"), "rel");
        assertEquals(List.of("a:processing>released@w1", "a:released>forgotten@-"), seen.takeTransitions());
        assertEquals(List.of(new FreeKeys("w1", List.of("a"), "rel")), drain());
    }

    @Test
    void processingToReleased_whenItsWorkerIsLostNoInstructionGoesToTheLostWorker() {
        aProcessingOnW1(0);
        state.removeWorker("w1", "lost-w1");
        // with no thread left every group is root-ish: the rescheduled task waits in queued (as Dask)
        assertEquals(List.of("a:processing>released@w1", "a:released>waiting@-", "a:waiting>queued@-",
                "removeWorker:w1"), seen.take(), "remove_worker after its tasks were rescheduled");
        assertEquals(List.of(), drain());
    }

    @Test
    void processingToMemory_whenTheWorkerFinishesIt() {
        aProcessingOnW1(0);
        List<Startstop> startstops = List.of(new Startstop("compute", 10, 20, null));
        state.taskFinished("a", "w1", 24, "Long", startstops, "done-a");
        assertEquals(List.of("a:processing>memory@w1"), seen.takeTransitions());
        assertEquals(List.of(new ReportMemory("c", "a")), drain());
        TransitionEvent e = seen.last("a");
        assertEquals(24, e.nbytes());
        assertEquals("Long", e.typeName());
        assertEquals(startstops, e.startstops());
        assertEquals("done-a", e.stimulusId());
        assertEquals(List.of(), state.tasks().get("a").startstops(), "the report's records, not kept on the task");
    }

    @Test
    void processingToErred_whenItFailsWithoutRetries() {
        aProcessingOnW1(0);
        state.taskErred("a", "w1", "boom", "at f", List.of(), "err-a");
        assertEquals(List.of("a:processing>erred@w1"), seen.takeTransitions());
        assertEquals(List.of(new ReportErred("c", "a", "boom", "at f", "a")), drain());
        assertEquals("boom", seen.last("a").exceptionText());
        assertEquals("at f", seen.last("a").traceback());
    }

    // ---------------------------------------------------------------- no-worker ->

    @Test
    void noWorkerToReleased_whenTheClientReleasesIt() {
        submit(Set.of("a"), restricted("a", "w1", 1));
        seen.take();
        state.releaseKeys("c", List.of("a"), "rel");
        assertEquals(List.of("a:no-worker>released@-", "a:released>forgotten@-"), seen.takeTransitions());
        assertEquals(List.of(), drain());
        assertTrue(state.tasks().isEmpty());
    }

    @Test
    void noWorkerToProcessing_whenAWorkerItMayRunOnJoins() {
        submit(Set.of("a"), restricted("a", "w1", 1));
        seen.take();
        state.addWorker("w1", 2, "join-w1");
        assertEquals(List.of("addWorker:w1", "a:no-worker>processing@w1"), seen.take(),
                "add_worker before the worker is given work");
        assertEquals(List.of(compute("w1", "a", Map.of(), "join-w1")), drain());
    }

    /** As queued -> erred, no stimulus errs a no-worker task; the edge is taken when asked. */
    @Test
    void noWorkerToErred_whenAskedTheEdgeIsTaken() {
        submit(Set.of("a"), restricted("a", "w9"));
        assertEquals(NO_WORKER, state.tasks().get("a").state());
        seen.take();
        state.transition("a", ERRED, "by-hand");
        assertEquals(List.of("a:no-worker>erred@-"), seen.takeTransitions());
        state.addWorker("w9", 1, "join-w9");
        assertEquals(ERRED, state.tasks().get("a").state(), "no longer waits for a worker");
    }

    // ---------------------------------------------------------------- memory ->

    @Test
    void memoryToReleased_whenNoDependentNeedsItAnyMoreTheHolderIsReported() {
        state.addWorker("w1", 1, "join-w1");
        submit(Set.of("b"), task("a", 1), task("b", ref("a")));
        finished("a", "w1");
        drain();
        seen.take();
        finished("b", "w1");
        assertEquals(List.of("b:processing>memory@w1", "a:memory>released@w1"), seen.takeTransitions());
        assertEquals(List.of(new ReportMemory("c", "b"), new FreeKeys("w1", List.of("a"), "done-b")), drain());
    }

    @Test
    void memoryToReleased_whenItsOnlyHolderIsLostAWantedKeyIsRecomputed() {
        state.addWorker("w1", 1, "join-w1");
        state.addWorker("w2", 1, "join-w2");
        submit(Set.of("a"), task("a", 1));
        String holder = ((ComputeTask) drain().get(0)).worker();
        String other = holder.equals("w1") ? "w2" : "w1";
        finished("a", holder);
        drain();
        seen.take();

        state.removeWorker(holder, "lost");
        // the lost holder no longer counts as holding it by the time the task transitions, so no worker is named
        assertEquals(List.of("a:memory>released@-", "a:released>waiting@-", "a:waiting>processing@" + other,
                "removeWorker:" + holder), seen.take());
        assertEquals(List.of(compute(other, "a", Map.of(), "lost")), drain());
    }

    @Test
    void memoryToForgotten_whenTheErredDependentHoldingItIsReleased() {
        state.addWorker("w1", 1, "join-w1");
        submit(Set.of("b"), task("a", 1), task("z"), task("b", ref("a"), ref("z")));
        finished("a", "w1");
        state.taskErred("z", "w1", "boom", null, List.of(), "err-z");
        assertEquals(ERRED, state.tasks().get("b").state());
        assertEquals(MEMORY, state.tasks().get("a").state(), "still held for the erred b");
        drain();
        seen.take();

        state.releaseKeys("c", List.of("b"), "rel");
        assertEquals(List.of("b:erred>released@-", "b:released>forgotten@-", "a:memory>forgotten@w1",
                "z:erred>released@-", "z:released>forgotten@-"), seen.takeTransitions(),
                "erred -> forgotten is not an edge: both legs through released");
        // z's error is dropped on w1, where z erred, with a's result
        assertEquals(List.of(new FreeKeys("w1", List.of("a", "z"), "rel")), drain());
        assertTrue(state.tasks().isEmpty());
    }

    // ---------------------------------------------------------------- erred ->

    @Test
    void erredToReleased_whenTheClientReleasesIt() {
        aProcessingOnW1(0);
        state.taskErred("a", "w1", "boom", null, List.of(), "err-a");
        drain();
        seen.take();
        state.releaseKeys("c", List.of("a"), "rel");
        assertEquals(List.of("a:erred>released@-", "a:released>forgotten@-"), seen.takeTransitions());
        assertEquals(List.of(new FreeKeys("w1", List.of("a"), "rel")), drain(), "w1, where a erred, drops the error");
    }

    @Test
    void erredToReleased_forDependentsWhenTheBlamedTaskIsReleased() {
        state.addWorker("w1", 1, "join-w1");
        state.addClient("d");
        submit(Set.of("a"), task("a"));
        state.updateGraph("d", List.of(task("b", ref("a"))), Set.of("b"), "g2");
        state.taskErred("a", "w1", "boom", null, List.of(), "err-a");
        drain();
        seen.take();

        state.releaseKeys("c", List.of("a"), "rel");
        assertEquals(List.of(), seen.takeTransitions(), "b still depends on a");
        state.releaseKeys("d", List.of("b"), "rel-b");
        assertEquals(List.of("b:erred>released@-", "b:released>forgotten@-", "a:erred>released@-",
                "a:released>forgotten@-"), seen.takeTransitions());
    }

    // ---------------------------------------------------------------- pairs not in the table

    /** Every (start, finish) pair that is not an edge, for every start state but forgotten (terminal, below). */
    static Stream<Arguments> pairsNotInTheTable() {
        List<Arguments> pairs = new ArrayList<>();
        for (SchedulerTaskState start : List.of(RELEASED, WAITING, QUEUED, NO_WORKER, PROCESSING, MEMORY, ERRED)) {
            for (SchedulerTaskState finish : SchedulerTaskState.values()) {
                if (finish != start && !SchedulerTransitions.allowed(start, finish)) {
                    pairs.add(Arguments.of(start, finish));
                }
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairsNotInTheTable")
    void pairNotInTheTableGoesThroughReleasedOrThrowsWithTheStory(SchedulerTaskState start, SchedulerTaskState finish) {
        String key = bringATaskTo(start);
        assertEquals(start, state.tasks().get(key).state());
        drain();
        seen.take();

        boolean throughReleased = SchedulerTransitions.allowed(start, RELEASED)
                && SchedulerTransitions.allowed(RELEASED, finish);
        if (throughReleased) {
            state.transition(key, finish, "by-hand");
            List<String> legs = seen.takeTransitions().stream().filter(t -> t.startsWith(key + ":")).toList();
            assertTrue(legs.size() >= 2, legs.toString());
            assertTrue(legs.get(0).startsWith(key + ":" + start + ">released@"), "first leg: " + legs);
            assertTrue(legs.get(1).startsWith(key + ":released>" + finish + "@"), "second leg: " + legs);
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> state.transition(key, finish, "by-hand"));
            assertTrue(e.getMessage().contains("impossible transition " + start + " -> " + finish), e.getMessage());
            assertTrue(e.getMessage().contains("story: [TransitionRecord[key=" + key), e.getMessage());
            assertEquals(List.of(), seen.take(), "nothing happened");
            assertEquals(start, state.tasks().get(key).state());
            state.validate();
        }
    }

    /** Brings a task {@code x} (wanted by c) to {@code target} through public stimuli; returns its key. */
    private String bringATaskTo(SchedulerTaskState target) {
        switch (target) {
            case RELEASED -> {
                state.addWorker("w1", 1, "join-w1");
                submit(Set.of("b"), task("x", 1), task("b", ref("x")));
                finished("x", "w1");
                finished("b", "w1");
            }
            case WAITING -> {
                state.addWorker("w1", 1, "join-w1");
                submit(Set.of("x"), task("a", 1), task("x", ref("a")));
            }
            case NO_WORKER -> submit(Set.of("x"), restricted("x", "w9", 1));
            case QUEUED -> {
                state.addWorker("w1", 1, "join-w1");
                submit(Set.of("x-0", "x-1", "x"), task("x-0"), task("x-1"), task("x")); // group x, 3 > 2 threads
            }
            case PROCESSING -> {
                state.addWorker("w1", 1, "join-w1");
                submit(Set.of("x"), task("x", 1));
            }
            case MEMORY -> {
                state.addWorker("w1", 1, "join-w1");
                submit(Set.of("x"), task("x", 1));
                finished("x", "w1");
            }
            case ERRED -> {
                state.addWorker("w1", 1, "join-w1");
                submit(Set.of("x"), task("x", 1));
                state.taskErred("x", "w1", "boom", null, List.of(), "err-x");
            }
            default -> throw new IllegalArgumentException("cannot reach " + target + " yet");
        }
        return "x";
    }

    @Test
    void forgottenIsTerminal() {
        aProcessingOnW1(0);
        TaskState a = state.tasks().get("a");
        state.releaseKeys("c", List.of("a"), "rel");
        assertEquals(FORGOTTEN, a.state());
        assertTrue(SchedulerTransitions.allowed(RELEASED, FORGOTTEN));
        for (SchedulerTaskState s : SchedulerTaskState.values()) {
            assertTrue(!SchedulerTransitions.allowed(FORGOTTEN, s), "forgotten -> " + s);
        }
    }

    /**
     * Every edge of the table is taken by a test of this class named after it (e.g.
     * {@code waitingToMemory_…}), none disabled: an edge is in the table only with a method that a
     * stimulus (or, for the two Dask reaches only last in first out, a request) drives.
     */
    @Test
    void everyEdgeOfTheTableIsDrivenByATestHere() {
        List<String> tests = new ArrayList<>();
        for (java.lang.reflect.Method m : SchedulerTableTest.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class)) {
                assertTrue(!m.isAnnotationPresent(org.junit.jupiter.api.Disabled.class), m.getName() + " is disabled");
                tests.add(m.getName());
            }
        }
        int edges = 0;
        for (SchedulerTaskState start : SchedulerTaskState.values()) {
            for (SchedulerTaskState finish : SchedulerTaskState.values()) {
                if (SchedulerTransitions.allowed(start, finish)) {
                    edges++;
                    String prefix = camel(start.label()) + "To" + Character.toUpperCase(camel(finish.label()).charAt(0))
                            + camel(finish.label()).substring(1);
                    assertTrue(tests.stream().anyMatch(t -> t.equals(prefix) || t.startsWith(prefix + "_")),
                            start + " -> " + finish + ": no test " + prefix + "_…");
                }
            }
        }
        assertEquals(20, edges);
    }

    private static String camel(String label) {
        int dash = label.indexOf('-');
        return dash < 0 ? label : label.substring(0, dash) + Character.toUpperCase(label.charAt(dash + 1))
                + label.substring(dash + 2);
    }

    @Test
    void theTableIsExactlyTheDocumentedOne() {
        Map<SchedulerTaskState, Set<SchedulerTaskState>> documented = Map.of(
                RELEASED, Set.of(WAITING, FORGOTTEN, ERRED),
                WAITING, Set.of(RELEASED, PROCESSING, NO_WORKER, QUEUED, MEMORY),
                QUEUED, Set.of(RELEASED, PROCESSING, ERRED),
                PROCESSING, Set.of(RELEASED, MEMORY, ERRED),
                NO_WORKER, Set.of(RELEASED, PROCESSING, ERRED),
                MEMORY, Set.of(RELEASED, FORGOTTEN), // no memory -> erred: Dask's is for actors only
                ERRED, Set.of(RELEASED),
                FORGOTTEN, Set.of());
        for (SchedulerTaskState start : SchedulerTaskState.values()) {
            for (SchedulerTaskState finish : SchedulerTaskState.values()) {
                assertEquals(documented.get(start).contains(finish), SchedulerTransitions.allowed(start, finish),
                        start + " -> " + finish);
            }
        }
    }
}
