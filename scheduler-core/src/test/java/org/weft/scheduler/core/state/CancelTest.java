package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction.FreeKeys;
import org.weft.node.SchedulerInstruction.ReportCancelled;
import org.weft.node.SchedulerInstruction.ReportMemory;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

/** Cancel of keys and their dependents, with and without force (Dask's cancel_key). */
class CancelTest {

    private final ControlRecorder rec = ControlRecorder.withState("c1", "c2");
    private final SchedulerState state = rec.state;

    @BeforeEach
    void setUp() {
        state.addWorker("w1", 2, "add-w1");
    }

    private static TaskSpec task(String key, Object... args) {
        return new TaskSpec(key, "inc", List.of(args));
    }

    /** a (memory) → b (processing) → c (waiting), c wanted by c1. */
    private void chain() {
        state.updateGraph("c1", List.of(task("a", 1), task("b", new TaskRef("a")), task("c", new TaskRef("b"))),
                Set.of("c"), "g");
        state.taskFinished("a", "w1", 8, "Long", List.of(), "fin-a");
        state.drainInstructions();
        rec.journal.clear();
        assertEquals(SchedulerTaskState.PROCESSING, state.tasks().get("b").state());
        assertEquals(SchedulerTaskState.WAITING, state.tasks().get("c").state());
    }

    @Test
    void cancelledChainIsForgottenDependentsFirstAndAResultGoesStraightFromMemory() {
        chain();
        CancelOutcome outcome = state.cancel("c1", List.of("a"), false, 1000, "cancel-1");
        assertEquals(List.of("a"), outcome.cancelled());
        // as Dask: a task not finished leaves through released (waiting -> forgotten is no edge), a result
        // nothing depends on any more takes the direct edge memory -> forgotten
        assertEquals(List.of("c:waiting>released", "c:released>forgotten", "b:processing>released",
                "b:released>forgotten", "a:memory>forgotten"), rec.transitions());
        assertTrue(state.tasks().isEmpty(), state.tasks().toString());
        List<SchedulerInstruction> out = state.drainInstructions();
        assertEquals(List.of(new ReportCancelled("c1", "c"), new FreeKeys("w1", List.of("b", "a"), "cancel-1")), out);
        assertTrue(state.story("b").stream().anyMatch(r -> "cancel-1".equals(r.stimulusId())));
    }

    @Test
    void cancellingTheWantedKeyReleasesItsUnneededInputs() {
        chain();
        state.cancel("c1", List.of("c"), false, 1000, "cancel-c");
        // as Dask: the wanted key is forgotten (two legs, back to back, waiting -> forgotten being no edge), so
        // its inputs, which nothing needs any more, are forgotten too: b while it runs, a straight from memory
        assertEquals(List.of("c:waiting>released", "c:released>forgotten", "b:processing>released",
                "b:released>forgotten", "a:memory>forgotten"), rec.transitions());
        assertTrue(state.tasks().isEmpty(), state.tasks().toString());
        assertEquals(List.of(new ReportCancelled("c1", "c"), new FreeKeys("w1", List.of("b", "a"), "cancel-c")), state.drainInstructions());
        // the run of b freed under the worker lands late: it is dropped
        state.taskFinished("b", "w1", 8, "Long", List.of(), "fin-b");
        assertEquals(List.of(new FreeKeys("w1", List.of("b"), "fin-b")), state.drainInstructions());
        assertTrue(state.tasks().isEmpty(), state.tasks().toString());
    }

    @Test
    void withoutForceAKeyAnotherClientWantsStaysForIt() {
        state.updateGraph("c1", List.of(task("x", 1), task("y", new TaskRef("x"))), Set.of("x", "y"), "g1");
        state.updateGraph("c2", List.of(task("x", 1)), Set.of("x"), "g2");
        state.drainInstructions();
        rec.journal.clear();

        CancelOutcome outcome = state.cancel("c1", List.of("x"), false, 1000, "cancel");
        assertEquals(List.of("x"), outcome.kept());
        assertEquals(List.of(), outcome.cancelled());
        assertEquals(List.of(new ReportCancelled("c1", "x")), state.drainInstructions());
        assertEquals(List.of(), rec.transitions());
        assertEquals(Set.of("c2"), state.tasks().get("x").wantedBy());
        assertEquals(Set.of("c1"), state.tasks().get("y").wantedBy(), "not cascaded: x stays, so y can still run");

        state.taskFinished("x", "w1", 8, "Long", List.of(), "fin-x");
        List<SchedulerInstruction> out = state.drainInstructions();
        assertTrue(out.contains(new ReportMemory("c2", "x")), out.toString());
        assertFalse(out.contains(new ReportMemory("c1", "x")), out.toString());
    }

    @Test
    void forceCancelsForEveryClientAndTheirDependents() {
        state.updateGraph("c1", List.of(task("x", 1), task("y", new TaskRef("x"))), Set.of("y"), "g1");
        state.updateGraph("c2", List.of(task("x", 1)), Set.of("x"), "g2");
        state.drainInstructions();

        CancelOutcome outcome = state.cancel("c1", List.of("x"), true, 1000, "force");
        assertEquals(List.of("x"), outcome.cancelled());
        List<SchedulerInstruction> out = state.drainInstructions();
        assertTrue(out.contains(new ReportCancelled("c2", "x")), out.toString());
        assertTrue(out.contains(new ReportCancelled("c1", "y")), out.toString());
        assertTrue(out.contains(new FreeKeys("w1", List.of("x"), "force")), out.toString());
        assertTrue(state.tasks().isEmpty(), state.tasks().toString());
        assertEquals(List.of(), state.wantedBy("c1"));
        assertEquals(List.of(), state.wantedBy("c2"));
    }

    @Test
    void aDependentAnotherClientWantsKeepsItsInputWithoutForce() {
        state.updateGraph("c1", List.of(task("a", 1)), Set.of("a"), "g1");
        state.updateGraph("c2", List.of(task("b", new TaskRef("a"))), Set.of("b"), "g2");
        state.drainInstructions();
        rec.journal.clear();

        CancelOutcome outcome = state.cancel("c1", List.of("a"), false, 1000, "cancel");
        assertEquals(List.of("a"), outcome.cancelled(), "c1 no longer wants it");
        assertEquals(List.of(), rec.transitions(), "b still needs a");
        state.taskFinished("a", "w1", 8, "Long", List.of(), "fin-a");
        ComputeTask b = (ComputeTask) state.drainInstructions().stream().filter(i -> i instanceof ComputeTask)
                .findFirst().orElseThrow();
        assertEquals("b", b.key());
    }

    @Test
    void fromTheShellWithoutForceOnlyKeysOfOneClientAreCancelled() {
        state.updateGraph("c1", List.of(task("solo", 1), task("shared", 2)), Set.of("solo", "shared"), "g1");
        state.updateGraph("c2", List.of(task("shared", 2)), Set.of("shared"), "g2");
        state.drainInstructions();

        CancelOutcome outcome = state.cancel(null, List.of("solo", "shared", "nope"), false, 1000, "shell");
        assertEquals(List.of("solo"), outcome.cancelled());
        assertEquals(List.of("shared"), outcome.kept());
        assertEquals(List.of("nope"), outcome.unknown());
        assertFalse(state.tasks().containsKey("solo"));
        assertEquals(Set.of("c1", "c2"), state.tasks().get("shared").wantedBy());

        CancelOutcome forced = state.cancel(null, List.of("shared"), true, 1001, "shell-force");
        assertEquals(List.of("shared"), forced.cancelled());
        assertTrue(state.tasks().isEmpty());
    }

    @Test
    void erredKeysAndRunningKeysCanBeCancelledAndResubmitted() {
        state.updateGraph("c1", List.of(new TaskSpec("bad", "fail", List.of()), task("after", new TaskRef("bad"))),
                Set.of("after"), "g");
        state.taskErred("bad", "w1", "boom", null, List.of(), "err");
        state.drainInstructions();
        state.cancel("c1", List.of("bad"), false, 1000, "cancel");
        assertTrue(state.tasks().isEmpty(), state.tasks().toString());
        assertEquals(List.of(new ReportCancelled("c1", "after"), new FreeKeys("w1", List.of("bad"), "cancel")),
                state.drainInstructions(), "w1, where bad erred, drops the error");

        state.updateGraph("c1", List.of(task("bad", 1)), Set.of("bad"), "again");
        assertEquals(SchedulerTaskState.PROCESSING, state.tasks().get("bad").state());
    }

    @Test
    void cancelIsLoggedAsAnEventAndAnUnknownClientIsRefused() {
        state.cancel("c1", List.of("nothing"), true, 1234, "cancel");
        assertEquals(1, state.events("all").size());
        assertEquals(Map.of("action", "cancel", "client", "c1", "keys", 0, "force", true),
                state.events("all").get(0).message());
        assertEquals(1, state.events("c1").size());
        assertEquals(1234, state.events("c1").get(0).timestampMillis());
        assertThrows(IllegalArgumentException.class, () -> state.cancel("ghost", List.of("x"), false, 1, "s"));
    }

    @Test
    void longChainsAreCancelledWithoutDeepRecursion() {
        int n = 20_000;
        java.util.ArrayList<TaskSpec> specs = new java.util.ArrayList<>();
        specs.add(task("k0", 0));
        for (int i = 1; i < n; i++) {
            specs.add(task("k" + i, new TaskRef("k" + (i - 1))));
        }
        SchedulerState big = new SchedulerState(new SchedulerConfig(false, 1000, 3), null);
        big.addClient("c");
        big.addWorker("w", 1, "w");
        big.updateGraph("c", specs, Set.of("k" + (n - 1)), "g");
        big.cancel("c", List.of("k0"), false, 1, "cancel");
        assertTrue(big.tasks().isEmpty());
    }
}
