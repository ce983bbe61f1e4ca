package org.weft.worker.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.worker.state.WorkerFixture.compute;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.node.WorkerInstruction;
import org.weft.node.WorkerInstruction.Execute;
import org.weft.node.WorkerInstruction.LongRunningMsg;
import org.weft.node.WorkerInstruction.Rejoin;
import org.weft.node.WorkerInstruction.TaskErredMsg;
import org.weft.node.WorkerInstruction.TaskFinishedMsg;
import org.weft.plugin.api.WorkerTaskState;

/** secede()/rejoin(): executing → long-running, a free thread for the next task, a slot to come back to. */
class SecedeTest {

    private static Execute execute(String key, String stimulusId) {
        return new Execute(key, "fn-" + key, List.of(), stimulusId);
    }

    @Test
    void aSecededTaskIsLongRunningTheSchedulerIsToldAndTheNextTaskStarts() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.computeTask(compute("b", "s2"));
        assertEquals(List.of(execute("a", "s1")), w.state.drainInstructions());
        w.take();

        w.state.secede("a", "s3");
        assertEquals(List.of(new LongRunningMsg("a", "s3"), execute("b", "s3")), w.state.drainInstructions());
        assertEquals(List.of("a:executing->long-running", "b:ready->executing"), w.take());
        assertEquals(1, w.state.longRunningCount());
        assertEquals(1, w.state.threadsInUse());

        w.state.executeSuccess("a", 42, 1, 5, "s4");
        List<WorkerInstruction> out = w.state.drainInstructions();
        assertEquals(1, out.size());
        assertEquals("a", ((TaskFinishedMsg) out.get(0)).key());
        assertEquals(List.of("a:long-running->memory"), w.take());
        assertEquals(42, w.state.data("a"));
        assertEquals(0, w.state.longRunningCount());
    }

    @Test
    void aLongRunningTaskThatFailsReportsTheError() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.secede("a", "s2");
        w.state.drainInstructions();
        w.state.executeFailure("a", "boom", "trace", 1, 2, "s3");
        assertEquals(List.of(new TaskErredMsg("a", "boom", "trace",
                List.of(new org.weft.plugin.api.Startstop("compute", 1, 2, null)), "s3")), w.state.drainInstructions());
        assertEquals(WorkerTaskState.ERROR, w.stateOf("a"));
    }

    @Test
    void secedingTwiceOrWhenNotRunningChangesNothing() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.secede("a", "s2");
        w.state.drainInstructions();
        w.take();
        w.state.secede("a", "s3");
        w.state.secede("unknown", "s4");
        assertEquals(List.of(), w.state.drainInstructions());
        assertEquals(List.of(), w.take());
    }

    @Test
    void aRejoiningTaskWaitsForAFreeThreadAndGoesBeforeReadyTasks() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.computeTask(compute("b", "s2"));
        w.state.computeTask(compute("c", "s3"));
        w.state.secede("a", "s4");
        w.state.drainInstructions();

        w.state.rejoin("a", "s5");
        assertEquals(List.of(), w.state.drainInstructions(), "b holds the only thread");
        w.state.executeSuccess("b", 1, 1, 2, "s6");
        List<WorkerInstruction> out = w.state.drainInstructions();
        assertTrue(out.contains(new Rejoin("a", "s6")), out.toString());
        assertTrue(out.stream().noneMatch(i -> i instanceof Execute), "c waits: a has the thread back");
        assertEquals(WorkerTaskState.LONG_RUNNING, w.stateOf("a"), "a rejoined task stays long-running");
        assertEquals(1, w.state.threadsInUse());

        w.state.executeSuccess("a", 2, 1, 3, "s7");
        assertTrue(w.state.drainInstructions().contains(execute("c", "s7")));
    }

    @Test
    void rejoinWithoutSecedingGoesOnAtOnce() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.drainInstructions();
        w.state.rejoin("a", "s2");
        assertEquals(List.of(new Rejoin("a", "s2")), w.state.drainInstructions());
        w.state.rejoin("unknown", "s3");
        assertEquals(List.of(new Rejoin("unknown", "s3")), w.state.drainInstructions(), "never leave a thread hanging");
    }

    @Test
    void aRejoinedTaskCanSecedeAgainWithoutTellingTheSchedulerTwice() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.secede("a", "s2");
        w.state.rejoin("a", "s3");
        w.state.drainInstructions();
        w.state.computeTask(compute("b", "s4"));
        assertEquals(List.of(), w.state.drainInstructions(), "a holds the thread again");
        w.state.secede("a", "s5");
        assertEquals(List.of(execute("b", "s5")), w.state.drainInstructions());
    }

    @Test
    void aLongRunningTaskFreedByTheSchedulerIsOrphanedWithoutHoldingAThread() {
        WorkerFixture w = new WorkerFixture(1, Map.of("GPU", 1.0));
        w.state.computeTask(compute("a", Map.of("GPU", 1.0), 0, "s1"));
        w.state.secede("a", "s2");
        w.state.drainInstructions();
        w.take();
        w.state.freeKeys(List.of("a"), "s3");
        assertEquals(List.of("a:long-running->released"), w.take());
        assertEquals(1, w.state.orphanedRunCount());
        assertEquals(0, w.state.threadsInUse());
        assertEquals(0.0, w.state.resources().available().get("GPU"), "a seceded run keeps its resources");

        w.state.computeTask(compute("b", "s4"));
        assertEquals(List.of(execute("b", "s4")), w.state.drainInstructions());
        w.state.executeSuccess("a", 1, 1, 2, "s5");
        assertEquals(List.of(), w.state.drainInstructions(), "the orphaned result is dropped");
        assertEquals(1.0, w.state.resources().available().get("GPU"));
        assertEquals(0, w.state.orphanedRunCount());
    }

    @Test
    void anOrphanedRunThatSecedesFreesItsThread() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.freeKeys(List.of("a"), "s2");
        w.state.computeTask(compute("b", "s3"));
        w.state.drainInstructions();
        w.state.secede("a", "s4");
        assertEquals(List.of(execute("b", "s4")), w.state.drainInstructions(), "no LongRunningMsg for a freed key");
    }
}
