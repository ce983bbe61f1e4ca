package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction.FreeKeys;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.protocol.TaskSpec;

/** Dask's Scheduler.reschedule: a processing task goes back to waiting and is sent again. */
class RescheduleTest {

    private final ControlRecorder rec = ControlRecorder.withState("c");
    private final SchedulerState state = rec.state;

    @BeforeEach
    void setUp() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(new TaskSpec("a", "sleep", List.of(1000))), Set.of("a"), "g");
        state.drainInstructions();
        rec.journal.clear();
    }

    @Test
    void aProcessingTaskIsFreedOnItsWorkerAndSentAgain() {
        assertTrue(state.reschedule("a", null, "resched"));
        assertEquals(List.of("a:processing>released", "a:released>waiting", "a:waiting>processing"), rec.transitions());
        List<SchedulerInstruction> out = state.drainInstructions();
        assertEquals(new FreeKeys("w1", List.of("a"), "resched"), out.get(0));
        assertEquals("a", ((ComputeTask) out.get(1)).key());
        assertEquals(SchedulerTaskState.PROCESSING, state.tasks().get("a").state());
    }

    @Test
    void onlyTheNamedWorkersTaskIsRescheduled() {
        assertFalse(state.reschedule("a", "w2", "other-worker"));
        assertTrue(state.reschedule("a", "w1", "right-worker"));
        assertEquals(3, rec.transitions().size());
    }

    @Test
    void unknownAndNonProcessingKeysAreLeftAlone() {
        assertFalse(state.reschedule("nope", null, "unknown"));
        state.taskFinished("a", "w1", 8, "Long", List.of(), "fin");
        rec.journal.clear();
        state.drainInstructions();
        assertFalse(state.reschedule("a", null, "in-memory"));
        assertEquals(List.of(), rec.transitions());
        assertEquals(List.of(), state.drainInstructions());
    }
}
