package org.weft.worker.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.node.WorkerInstruction;
import org.weft.node.WorkerInstruction.GatherDep;
import org.weft.node.WorkerInstruction.MissingDataMsg;
import org.weft.node.WorkerInstruction.TaskFinishedMsg;
import org.weft.plugin.api.WorkerTaskState;

/** The worker side of retirement: copies asked for by the scheduler are fetched, kept and reported. */
class AcquireReplicasTest {

    private final WorkerState state = new WorkerState("w2", 1, null, true, 1_000);

    private void holdReplicaOfX() {
        state.acquireReplicas(Map.of("x", Set.of("w1")), "retire-1");
        state.drainInstructions();
        state.gatherDepSuccess("w1", Map.of("x", 1L), 1, 2, "arrived");
        state.drainInstructions();
    }

    @Test
    void replicaIsFetchedKeptAndReportedAsHeldHere() {
        state.acquireReplicas(Map.of("x", Set.of("w1")), "retire-1");

        List<WorkerInstruction> out = state.drainInstructions();
        assertEquals(List.of(new GatherDep("w1", Set.of("x"), "retire-1")), out);
        state.gatherDepSuccess("w1", Map.of("x", 42L), 1, 2, "arrived");

        List<WorkerInstruction> reports = state.drainInstructions();
        assertEquals(1, reports.size(), reports.toString());
        TaskFinishedMsg m = (TaskFinishedMsg) reports.get(0);
        assertEquals("x", m.key());
        assertTrue(state.hasData("x"));
        assertEquals(42L, state.data("x"));
        assertEquals(WorkerTaskState.MEMORY, state.tasks().get("x").state(), "kept: the scheduler counts on it");
    }

    @Test
    void replicaThatCannotBeFoundIsReportedMissingAndForgotten() {
        state.acquireReplicas(Map.of("x", Set.of("w1")), "retire-1");
        state.drainInstructions();

        state.gatherDepSuccess("w1", Map.of(), 1, 2, "arrived-empty");

        assertEquals(List.of(new MissingDataMsg("x", "w1", "arrived-empty")), state.drainInstructions());
        assertFalse(state.tasks().containsKey("x"));
    }

    @Test
    void resultAlreadyHereIsReportedOnceWithoutAFetch() {
        holdReplicaOfX();

        state.acquireReplicas(Map.of("x", Set.of("w1")), "retire-again");

        assertEquals(List.of(), state.drainInstructions(), "already reported as held here");
    }

    @Test
    void freedReplicaIsDropped() {
        holdReplicaOfX();

        state.freeKeys(List.of("x"), "free-x");

        assertFalse(state.tasks().containsKey("x"));
    }
}
