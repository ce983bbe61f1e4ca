package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction.FreeKeys;
import org.weft.node.SchedulerInstruction.ReportErred;
import org.weft.node.SchedulerInstruction.ReportMemory;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.GraphEvent;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.TaskView;
import org.weft.plugin.api.TransitionEvent;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

/**
 * The exact sequence of hook calls a scheduler plugin sees in the lifecycle rules of issue 3
 * (retries, allowed_failures), and minimal reproductions of the bugs the randomized test found.
 */
class TransitionHookSequenceTest {

    private final RecordingSchedulerEvents seen = new RecordingSchedulerEvents();
    private SchedulerState state;

    private void start(SchedulerConfig config) {
        state = new SchedulerState(config.withValidation(true), seen);
        seen.state = state;
        state.addClient("c");
        seen.take();
    }

    private static TaskSpec task(String key, Object... args) {
        return new TaskSpec(key, "f", List.of(args));
    }

    private static String describe(TransitionEvent e) {
        return e.key() + ":" + e.start() + ">" + e.finish() + "@" + (e.worker() == null ? "-" : e.worker()) + " ["
                + e.stimulusId() + "]";
    }

    private List<String> eventsOf(String key) {
        return seen.events.stream().filter(e -> e.key().equals(key)).map(TransitionHookSequenceTest::describe).toList();
    }

    // ---------------------------------------------------------------- retries

    @Test
    void aRetriedTaskGoesProcessingReleasedWaitingProcessingUntilItSucceeds() {
        start(SchedulerConfig.DEFAULTS);
        state.addWorker("w1", 1, "join");
        state.updateGraph("c", List.of(new TaskSpec("a", "flaky", List.of(), 2), task("b", new TaskRef("a"))),
                Set.of("b"), "g");
        state.taskErred("a", "w1", "first", "tb1", List.of(), "err-1");
        assertEquals(1, state.tasks().get("a").retries());
        state.taskErred("a", "w1", "second", "tb2", List.of(), "err-2");
        assertEquals(0, state.tasks().get("a").retries());
        state.taskFinished("a", "w1", 8, "Long", List.of(), "ok");

        assertEquals(List.of(
                "a:released>waiting@- [g]",
                "a:waiting>processing@w1 [g]",
                "a:processing>released@w1 [err-1]",
                "a:released>waiting@- [err-1]",
                "a:waiting>processing@w1 [err-1]",
                "a:processing>released@w1 [err-2]",
                "a:released>waiting@- [err-2]",
                "a:waiting>processing@w1 [err-2]",
                "a:processing>memory@w1 [ok]"), eventsOf("a"));
        for (TransitionEvent e : seen.events) {
            assertNull(e.exceptionText(), "a retry is not an error for plugins: " + e);
        }
        assertEquals(List.of("b:released>waiting@- [g]", "b:waiting>processing@w1 [ok]"), eventsOf("b"),
                "the dependent just keeps waiting while its dependency is retried");
    }

    @Test
    void aTaskOutOfRetriesErrsWithItsOwnErrorAndItsDependentIsBlamed() {
        start(SchedulerConfig.DEFAULTS);
        state.addWorker("w1", 1, "join");
        state.updateGraph("c", List.of(new TaskSpec("a", "flaky", List.of(), 1), task("b", new TaskRef("a"))),
                Set.of("b"), "g");
        state.taskErred("a", "w1", "first", "tb1", List.of(), "err-1");
        state.drainInstructions();
        state.taskErred("a", "w1", "second", "tb2", List.of(), "err-2");

        List<String> a = eventsOf("a");
        assertEquals("a:processing>erred@w1 [err-2]", a.get(a.size() - 1));
        assertEquals("second", seen.last("a").exceptionText());
        assertEquals("tb2", seen.last("a").traceback());
        assertEquals(List.of("b:released>waiting@- [g]", "b:waiting>released@- [err-2]", "b:released>erred@- [err-2]"),
                eventsOf("b"));
        assertEquals("second", seen.last("b").exceptionText());
        assertEquals(List.of(new ReportErred("c", "b", "second", "tb2", "a")), state.drainInstructions());
    }

    // ---------------------------------------------------------------- allowed_failures

    @Test
    void aTaskLostWithItsWorkerPastAllowedFailuresErrsWithKilledWorkerNamingTaskAndWorker() {
        start(SchedulerConfig.DEFAULTS); // allowed_failures 3
        for (String w : List.of("w1", "w2", "w3", "w4")) {
            state.addWorker(w, 1, "join-" + w);
        }
        state.updateGraph("c", List.of(task("a"), task("b", new TaskRef("a"))), Set.of("b"), "g");
        seen.take();
        for (String w : List.of("w1", "w2", "w3")) {
            assertEquals(w, state.tasks().get("a").processingOn());
            state.removeWorker(w, "lost-" + w);
        }
        assertEquals(SchedulerTaskState.PROCESSING, state.tasks().get("a").state(), "3 losses are allowed");
        state.drainInstructions();
        state.removeWorker("w4", "lost-w4");

        assertEquals(List.of(
                "a:processing>released@w1", "a:released>waiting@-", "a:waiting>processing@w2", "removeWorker:w1",
                "a:processing>released@w2", "a:released>waiting@-", "a:waiting>processing@w3", "removeWorker:w2",
                "a:processing>released@w3", "a:released>waiting@-", "a:waiting>processing@w4", "removeWorker:w3",
                "a:processing>erred@w4", "b:waiting>released@-", "b:released>erred@-", "removeWorker:w4"),
                seen.take());
        TransitionEvent erred = seen.last("a");
        assertEquals("lost-w4", erred.stimulusId());
        assertTrue(erred.exceptionText().startsWith("KilledWorker"), erred.exceptionText());
        assertTrue(erred.exceptionText().contains("'a'"), erred.exceptionText());
        assertTrue(erred.exceptionText().contains("w4"), erred.exceptionText());
        List<SchedulerInstruction> out = state.drainInstructions();
        assertEquals(1, out.size(), out.toString());
        ReportErred report = (ReportErred) out.get(0);
        assertEquals("b", report.key());
        assertEquals("a", report.blamedKey());
        assertEquals(erred.exceptionText(), report.exceptionText());
    }

    @Test
    void aResultLostWithItsHolderIsRecomputedNotCountedAgainstAllowedFailures() {
        start(new SchedulerConfig(false, 1000, 0));
        state.addWorker("w1", 1, "join-w1");
        state.addWorker("w2", 1, "join-w2");
        state.updateGraph("c", List.of(task("a")), Set.of("a"), "g");
        state.taskFinished("a", "w1", 8, "Long", List.of(), "done");
        seen.take();
        state.removeWorker("w1", "lost-w1");
        assertEquals(List.of("a:memory>released@-", "a:released>waiting@-", "a:waiting>processing@w2",
                "removeWorker:w1"), seen.take(), "a result lost with its holder is recomputed, not a KilledWorker");
    }

    // ---------------------------------------------------------------- context: as the task is

    @Test
    void anErredTransitionNamesTheBlamedKeyAsCause() {
        start(SchedulerConfig.DEFAULTS);
        state.addWorker("w1", 1, "join");
        state.updateGraph("c", List.of(task("a"), task("b", new TaskRef("a"))), Set.of("b"), "g");
        state.taskErred("a", "w1", "boom", "tb", List.of(), "err-a");

        assertEquals("a", seen.last("a").cause(), "a failed itself");
        assertEquals("a", seen.last("b").cause(), "b is blamed on a");
        assertEquals(SchedulerTaskState.ERRED, seen.last("b").finish());
        for (TransitionEvent e : seen.events) {
            if (e.finish() != SchedulerTaskState.ERRED) {
                assertNull(e.cause(), "no cause off erred: " + e);
            }
        }
    }

    @Test
    void aResultsSizeAndTypeAreNotCarriedIntoEventsAfterItIsGone() {
        start(SchedulerConfig.DEFAULTS);
        state.addWorker("w1", 1, "join-w1");
        state.addWorker("w2", 1, "join-w2");
        state.updateGraph("c", List.of(task("a")), Set.of("a"), "g");
        String holder = state.tasks().get("a").processingOn();
        state.taskFinished("a", holder, 8, "Long", List.of(), "done");
        seen.take();

        state.removeWorker(holder, "lost");
        List<TransitionEvent> rerun = seen.events.subList(seen.events.size() - 3, seen.events.size());
        assertEquals(List.of("memory>released", "released>waiting", "waiting>processing"),
                rerun.stream().map(e -> e.start() + ">" + e.finish()).toList());
        assertEquals(8, rerun.get(0).nbytes(), "memory -> released names the result it freed");
        assertEquals("Long", rerun.get(0).typeName());
        for (TransitionEvent e : rerun.subList(1, 3)) {
            assertEquals(-1, e.nbytes(), "the earlier run's size: " + e);
            assertNull(e.typeName(), "the earlier run's type: " + e);
        }

        state.releaseKeys("c", List.of("a"), "rel");
        TransitionEvent forgotten = seen.last("a");
        assertEquals(SchedulerTaskState.FORGOTTEN, forgotten.finish());
        assertEquals(-1, forgotten.nbytes());
        assertNull(forgotten.typeName());
    }

    // ---------------------------------------------------------------- update_graph: priorities and annotations

    @Test
    void updateGraphGivesEachNewTasksPriorityAndItsAnnotations() {
        start(SchedulerConfig.DEFAULTS);
        TaskSpec urgent = new TaskSpec("urgent", "f", List.of(), 0, 5, Set.of(), false, Map.of());
        TaskSpec pinned = new TaskSpec("pinned", "f", List.of(), 0, 0, Set.of("w9"), true, Map.of("GPU", 1.0));
        state.updateGraph("c", List.of(task("plain"), urgent, pinned), Set.of("plain", "urgent", "pinned"), "g", 0);

        GraphEvent e = seen.graphs.get(seen.graphs.size() - 1);
        assertEquals(Set.of("plain", "urgent", "pinned"), e.newTasks());
        assertEquals(new TaskPriority(5, 1, 1), e.priorities().get("urgent"));
        assertEquals(new TaskPriority(0, 1, 0), e.priorities().get("plain"));
        assertTrue(e.priorities().get("urgent").compareTo(e.priorities().get("plain")) < 0, "urgent runs first");
        assertEquals(Map.of("priority", Map.of("urgent", 5), "workers", Map.of("pinned", Set.of("w9")),
                "allow_other_workers", Map.of("pinned", true), "resources", Map.of("pinned", Map.of("GPU", 1.0))),
                e.annotations());

        TaskView view = state.tasks().get("pinned");
        assertEquals(e.priorities().get("pinned"), view.priority());
        assertEquals(Map.of("workers", Set.of("w9"), "allow_other_workers", true, "resources", Map.of("GPU", 1.0)),
                view.annotations());
        assertEquals(Map.of(), state.tasks().get("plain").annotations());
    }

    // ---------------------------------------------------------------- bugs found by RandomStimuliTest

    /** Was: a kept processing (and, if it failed, erred forever) though nothing needed it any more. */
    @Test
    void forgettingATaskForgetsItsDependencyStillRunning() {
        start(SchedulerConfig.DEFAULTS);
        state.addWorker("w1", 1, "join");
        state.updateGraph("c", List.of(task("x")), Set.of("x"), "g1");
        state.taskErred("x", "w1", "boom", null, List.of(), "err-x");
        state.updateGraph("c", List.of(task("a"), task("b", new TaskRef("a"), new TaskRef("x"))), Set.of("b"), "g2");
        assertEquals(SchedulerTaskState.ERRED, state.tasks().get("b").state());
        assertEquals(SchedulerTaskState.PROCESSING, state.tasks().get("a").state());
        state.drainInstructions();
        seen.take();

        state.releaseKeys("c", List.of("b"), "rel");
        assertEquals(List.of("b:erred>released@-", "b:released>forgotten@-", "a:processing>released@w1",
                "a:released>forgotten@-"), seen.takeTransitions());
        assertEquals(List.of(new FreeKeys("w1", List.of("a"), "rel")), state.drainInstructions());
        assertEquals(Set.of("x"), state.tasks().keySet());
    }

    /** Was: an erred task that nobody wanted and nothing depended on stayed forever. */
    @Test
    void anErredTaskNobodyWantsOrNeedsIsForgotten() {
        start(SchedulerConfig.DEFAULTS);
        state.addWorker("w1", 2, "join");
        state.updateGraph("c", List.of(task("dead"), task("w")), Set.of("w"), "g");
        seen.take();
        state.taskErred("dead", "w1", "boom", null, List.of(), "err");
        assertEquals(List.of("dead:processing>erred@w1", "dead:erred>released@-", "dead:released>forgotten@-"),
                seen.takeTransitions());
        // only w1, where it erred, is told to drop the error
        assertEquals(List.of(new FreeKeys("w1", List.of("dead"), "err")), state.drainInstructions().stream()
                .filter(i -> !(i instanceof ComputeTask)).toList());
    }

    /** Was: releasing x released its erred dependent y too, which then sat in released while c2 wanted it. */
    @Test
    void releasingAnErredKeyKeepsItWhileAnErredDependentStillBlamesIt() {
        start(SchedulerConfig.DEFAULTS);
        state.addClient("c2");
        state.addWorker("w1", 1, "join");
        state.updateGraph("c", List.of(task("x")), Set.of("x"), "g1");
        state.taskErred("x", "w1", "boom", null, List.of(), "err-x");
        state.updateGraph("c2", List.of(task("y", new TaskRef("x"))), Set.of("y"), "g2");
        state.drainInstructions();
        seen.take();

        state.releaseKeys("c", List.of("x"), "rel-x");
        assertEquals(List.of(), seen.takeTransitions());
        assertEquals(SchedulerTaskState.ERRED, state.tasks().get("y").state());
        state.releaseKeys("c2", List.of("y"), "rel-y");
        assertEquals(List.of("y:erred>released@-", "y:released>forgotten@-", "x:erred>released@-",
                "x:released>forgotten@-"), seen.takeTransitions());
        assertTrue(state.tasks().isEmpty());
    }

    /** Was: y went erred -> released and stayed there, wanted. As Dask, a wanted erred dependent runs again. */
    @Test
    void whenAnErredTaskIsReleasedItsWantedErredDependentRunsAgain() {
        start(SchedulerConfig.DEFAULTS);
        state.addWorker("w1", 1, "join");
        state.updateGraph("c", List.of(task("x"), task("y", new TaskRef("x"))), Set.of("y"), "g");
        state.taskErred("x", "w1", "boom", null, List.of(), "err-x");
        state.drainInstructions();
        seen.take();

        state.transition("x", SchedulerTaskState.RELEASED, "retry"); // what a client retry will do
        assertEquals(List.of("x:erred>released@-", "y:erred>released@-", "y:released>waiting@-",
                "x:released>waiting@-", "x:waiting>processing@w1"), seen.takeTransitions());
        // w1 drops the error of the first run before it runs x again
        assertEquals(List.of(new FreeKeys("w1", List.of("x"), "retry"), new ComputeTask("w1", "x", "f", List.of(),
                Map.of(), state.tasks().get("x").priority(), Map.of(), "retry", state.tasks().get("x").runId)),
                state.drainInstructions());
        state.taskFinished("x", "w1", 8, "Long", List.of(), "ok-x");
        state.taskFinished("y", "w1", 8, "Long", List.of(), "ok-y");
        assertTrue(state.drainInstructions().contains(new ReportMemory("c", "y")));
    }
}
