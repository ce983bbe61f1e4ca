package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction.FreeKeys;
import org.weft.node.SchedulerInstruction.ReportErred;
import org.weft.node.SchedulerInstruction.ReportMemory;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionRecord;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

class SchedulerStateTest {

    private final List<String> seen = new ArrayList<>();
    private final List<String> forgottenReadable = new ArrayList<>();
    private SchedulerState state;

    @BeforeEach
    void setUp() {
        state = new SchedulerState(new SchedulerConfig(true, 10_000, 3), recorder());
        state.addClient("c");
    }

    private SchedulerEvents recorder() {
        return new SchedulerEvents() {
            @Override
            public void transition(TaskState task, SchedulerTaskState start, SchedulerTaskState finish, String worker,
                    String stimulusId) {
                seen.add(task.key() + ":" + start + ">" + finish);
                if (finish == SchedulerTaskState.FORGOTTEN && state.tasks().get(task.key()) == task) {
                    forgottenReadable.add(task.key());
                }
            }
        };
    }

    private static TaskSpec task(String key, String fn, Object... args) {
        return new TaskSpec(key, fn, List.of(args));
    }

    private List<SchedulerInstruction> drain() {
        return state.drainInstructions();
    }

    private List<String> transitionsOf(String key) {
        return seen.stream().filter(s -> s.startsWith(key + ":")).collect(Collectors.toList());
    }

    @Test
    void chainRunsToMemoryAndReportsWantedKey() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(task("a", "inc", 1), task("b", "add", new TaskRef("a"), 10)), Set.of("b"), "g1");
        List<SchedulerInstruction> out = drain();
        assertEquals(1, out.size());
        ComputeTask ca = (ComputeTask) out.get(0);
        assertEquals("a", ca.key());
        assertEquals("w1", ca.worker());

        state.taskFinished("a", "w1", 8, "Long", List.of(), "done-a");
        ComputeTask cb = (ComputeTask) drain().get(0);
        assertEquals("b", cb.key());
        assertEquals(Set.of("w1"), cb.whoHas().get("a"));

        state.taskFinished("b", "w1", 8, "Long", List.of(), "done-b");
        List<SchedulerInstruction> after = drain();
        assertTrue(after.contains(new ReportMemory("c", "b")), after.toString());
        assertTrue(after.contains(new FreeKeys("w1", List.of("a"), "done-b")), "a is no longer needed: " + after);

        assertEquals(List.of("a:released>waiting", "a:waiting>processing", "a:processing>memory",
                "a:memory>released"), transitionsOf("a"));
        assertEquals(List.of("b:released>waiting", "b:waiting>processing", "b:processing>memory"), transitionsOf("b"));
        assertEquals(SchedulerTaskState.RELEASED, state.tasks().get("a").state(), "kept while b depends on it");
    }

    @Test
    void theStoryIsStampedWithTheTimeOfEachStimulusFromTheClockTheStateIsGiven() {
        long[] now = {1_000};
        SchedulerState timed = new SchedulerState(new SchedulerConfig(true, 10_000, 3), null, () -> now[0]);
        timed.addClient("c");
        timed.addWorker("w1", 1, "add-w1");
        timed.updateGraph("c", List.of(task("a", "inc", 1)), Set.of("a"), "g1");
        now[0] = 2_000;
        timed.taskFinished("a", "w1", 8, "Long", List.of(), "s1");
        assertEquals(List.of(1_000L, 1_000L, 2_000L),
                timed.story("a").stream().map(TransitionRecord::timestampMillis).toList());
    }

    @Test
    void releasingTheWantedKeyForgetsTheWholeChainAndTheHookCanStillReadIt() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(task("a", "inc", 1), task("b", "inc", new TaskRef("a"))), Set.of("b"), "g1");
        state.taskFinished("a", "w1", 8, "Long", List.of(), "s1");
        state.taskFinished("b", "w1", 8, "Long", List.of(), "s2");
        drain();
        state.releaseKeys("c", List.of("b"), "release");
        assertTrue(state.tasks().isEmpty(), state.tasks().toString());
        assertEquals(List.of("b:processing>memory", "b:memory>forgotten"), transitionsOf("b").subList(2, 4),
                "as Dask: a released result nothing depends on is forgotten straight from memory");
        assertTrue(seen.contains("a:released>forgotten"));
        assertEquals(List.of("b", "a"), forgottenReadable);
        assertTrue(drain().contains(new FreeKeys("w1", List.of("b"), "release")));
    }

    @Test
    void errorIsBlamedOnTheFailedKeyAndPropagatesThroughReleased() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(task("a", "fail"), task("b", "inc", new TaskRef("a"))), Set.of("b"), "g1");
        drain();
        state.taskErred("a", "w1", "boom", "Traceback: at fail", List.of(), "err-a");
        List<SchedulerInstruction> out = drain();
        assertEquals(List.of(new ReportErred("c", "b", "boom", "Traceback: at fail", "a")), out);
        assertEquals(List.of("b:released>waiting", "b:waiting>released", "b:released>erred"), transitionsOf("b"));
        assertEquals("a", state.tasks().get("b").exceptionBlame());
        assertEquals(SchedulerTaskState.ERRED, state.tasks().get("a").state());
    }

    @Test
    void retriesGoBackThroughReleasedToWaitingThenSucceed() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(new TaskSpec("a", "flaky", List.of(), 1)), Set.of("a"), "g1");
        drain();
        state.taskErred("a", "w1", "once", null, List.of(), "err1");
        ComputeTask again = (ComputeTask) drain().stream().filter(i -> i instanceof ComputeTask).findFirst().orElseThrow();
        assertEquals("a", again.key());
        state.taskFinished("a", "w1", 1, "Long", List.of(), "ok");
        assertEquals(List.of("a:released>waiting", "a:waiting>processing", "a:processing>released",
                "a:released>waiting", "a:waiting>processing", "a:processing>memory"), transitionsOf("a"));
        assertEquals(0, state.tasks().get("a").retries());
    }

    @Test
    void rootishTaskWaitsQueuedUntilAWorkerJoins() {
        state.updateGraph("c", List.of(task("a", "inc", 1)), Set.of("a"), "g1");
        assertEquals(List.of("a:released>waiting", "a:waiting>queued"), transitionsOf("a"));
        assertTrue(drain().isEmpty());
        state.addWorker("w1", 2, "join");
        assertEquals("a:queued>processing", seen.get(seen.size() - 1));
        assertEquals("w1", ((ComputeTask) drain().get(0)).worker());
    }

    @Test
    void noWorkerUntilOneJoinsWhenQueuingIsOff() {
        state = new SchedulerState(new SchedulerConfig(true, 10_000, 3).withWorkerSaturation(Double.POSITIVE_INFINITY),
                recorder());
        state.addClient("c");
        state.updateGraph("c", List.of(task("a", "inc", 1)), Set.of("a"), "g1");
        assertEquals(List.of("a:released>waiting", "a:waiting>no-worker"), transitionsOf("a"));
        assertTrue(drain().isEmpty());
        state.addWorker("w1", 2, "join");
        assertEquals("a:no-worker>processing", seen.get(seen.size() - 1));
        assertEquals("w1", ((ComputeTask) drain().get(0)).worker());
    }

    @Test
    void lostWorkerReschedulesItsTasksAndRecomputesLostResults() {
        state.addWorker("w1", 1, "add-w1");
        state.addWorker("w2", 1, "add-w2");
        state.updateGraph("c", List.of(task("a", "inc", 1), task("b", "inc", 2)), Set.of("a", "b"), "g1");
        List<SchedulerInstruction> out = drain();
        ComputeTask first = (ComputeTask) out.get(0);
        ComputeTask second = (ComputeTask) out.get(1);
        assertFalse(first.worker().equals(second.worker()), "spread over both workers");
        state.taskFinished(first.key(), first.worker(), 8, "Long", List.of(), "done");
        drain();
        String lost = first.worker();
        String survivor = second.worker();
        assertTrue(state.removeWorker(survivor, "lost-" + survivor));
        ComputeTask moved = (ComputeTask) drain().get(0);
        assertEquals(second.key(), moved.key());
        assertEquals(lost, moved.worker());
        assertEquals(List.of(second.key() + ":processing>released", second.key() + ":released>waiting",
                second.key() + ":waiting>processing"), transitionsOf(second.key()).subList(2, 5));
        state.removeWorker(lost, "lost-" + lost);
        assertEquals(SchedulerTaskState.QUEUED, state.tasks().get(first.key()).state(),
                "recomputed when needed: root-ish, so it waits queued for a worker");
    }

    @Test
    void taskLostWithItsWorkerPastAllowedFailuresErrsWithKilledWorker() {
        state = new SchedulerState(new SchedulerConfig(true, 1000, 1), SchedulerEvents.NONE);
        state.addClient("c");
        state.addWorker("w1", 1, "j1");
        state.updateGraph("c", List.of(task("a", "crash")), Set.of("a"), "g");
        state.removeWorker("w1", "l1");
        state.addWorker("w2", 1, "j2");
        state.removeWorker("w2", "l2");
        assertEquals(SchedulerTaskState.ERRED, state.tasks().get("a").state());
        assertTrue(state.tasks().get("a").exceptionText().contains("KilledWorker"));
        assertTrue(state.tasks().get("a").exceptionText().contains("w2"));
        assertTrue(drain().stream().anyMatch(i -> i instanceof ReportErred r && r.key().equals("a")));
    }

    @Test
    void malformedGraphsAreRejectedWholeWithAReason() {
        state.addWorker("w1", 1, "add-w1");
        IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class, () -> state.updateGraph("c",
                List.of(task("a", "inc", new TaskRef("b")), task("b", "inc", new TaskRef("a"))), Set.of("a"), "g"));
        assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> state.updateGraph("c", List.of(task("a", "inc", new TaskRef("zz"))), Set.of("a"), "g"));
        assertTrue(unknown.getMessage().contains("'zz'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> state.updateGraph("c", List.of(task("a", "inc"), task("a", "inc")), Set.of("a"), "g"));
        assertThrows(IllegalArgumentException.class,
                () -> state.updateGraph("nobody", List.of(task("a", "inc")), Set.of("a"), "g"));
        assertTrue(state.tasks().isEmpty());
        assertTrue(seen.isEmpty());
    }

    @Test
    void resubmittingAKeyInMemoryReportsItAtOnce() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(task("a", "inc", 1)), Set.of("a"), "g1");
        state.taskFinished("a", "w1", 8, "Long", List.of(), "s");
        drain();
        state.addClient("d");
        state.updateGraph("d", List.of(task("a", "inc", 1)), Set.of("a"), "g2");
        assertEquals(List.of(new ReportMemory("d", "a")), drain());
    }

    @Test
    void clientLeavingReleasesWhatItWanted() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(task("a", "sleep", 1)), Set.of("a"), "g1");
        drain();
        state.removeClient("c", "bye");
        assertTrue(state.tasks().isEmpty());
        assertEquals(List.of(new FreeKeys("w1", List.of("a"), "bye")), drain());
        assertTrue(state.clients().isEmpty());
    }

    @Test
    void staleFinishAfterReleaseMakesTheWorkerDropTheResult() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(task("a", "sleep", 1)), Set.of("a"), "g1");
        state.releaseKeys("c", List.of("a"), "rel");
        drain();
        state.taskFinished("a", "w1", 8, "Long", List.of(), "late");
        assertEquals(List.of(new FreeKeys("w1", List.of("a"), "late")), drain());
    }

    @Test
    void storyTellsWhatHappenedAndWhy() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(task("a", "inc", 1)), Set.of("a"), "graph-1");
        state.taskFinished("a", "w1", 8, "Long", List.of(), "task-finished-1");
        var story = state.story("a");
        assertEquals(3, story.size());
        assertEquals("graph-1", story.get(0).stimulusId());
        assertEquals("task-finished-1", story.get(2).stimulusId());
        assertEquals("memory", story.get(2).finish());
        assertNotNull(state.countByState().get(SchedulerTaskState.MEMORY));
    }

    @Test
    void keyPrefixFollowsDaskKeySplit() {
        assertEquals("inc", TaskState.keyPrefix("inc-1f2e3d4c"));
        assertEquals("pi-chunk", TaskState.keyPrefix("pi-chunk-17"));
        assertEquals("x", TaskState.keyPrefix("x"));
        assertEquals("sum-tree", TaskState.keyPrefix("sum-tree-3-4"));
        assertEquals("inc", TaskState.keyPrefix("inc-deadbeef-x")); // letters, but an 8-digit hex token
        assertEquals("inc-deadbee", TaskState.keyPrefix("inc-deadbee"));
        assertEquals("a", TaskState.keyPrefix("a--b"));
        assertEquals("-a", TaskState.keyPrefix("-a-1"));
        assertEquals("a-b", TaskState.keyPrefix("a-b-"));
    }
}
