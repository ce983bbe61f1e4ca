package org.weft.worker.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.worker.state.WorkerFixture.compute;
import static org.weft.worker.state.WorkerFixture.dependent;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.node.WorkerInstruction;
import org.weft.node.WorkerInstruction.Execute;
import org.weft.node.WorkerInstruction.StealResponseMsg;
import org.weft.plugin.api.WorkerTaskState;

/** The victim's side of work stealing: give up a task not yet started, keep any other. */
class StealRequestTest {

    private static StealResponseMsg response(String key, WorkerTaskState state, String stimulusId) {
        return new StealResponseMsg(key, state, stimulusId);
    }

    @Test
    void aReadyTaskIsReleasedAndForgottenAndNeverStarts() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.computeTask(compute("b", "s2"));
        w.state.drainInstructions();
        w.take();
        w.state.stealRequest("b", "steal-1");
        assertEquals(List.of(response("b", WorkerTaskState.READY, "steal-1")), w.state.drainInstructions());
        assertEquals(List.of("b:ready->released", "b:released->forgotten"), w.take());
        w.state.executeSuccess("a", 1, 1, 2, "s3");
        assertTrue(w.state.drainInstructions().stream().noneMatch(i -> i instanceof Execute), "b does not run");
    }

    @Test
    void aWaitingTaskIsReleasedAndItsFetchIsDropped() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(dependent("b", "a", "w2", "s1"));
        w.state.drainInstructions();
        w.take();
        w.state.stealRequest("b", "steal-1");
        assertEquals(List.of(response("b", WorkerTaskState.WAITING, "steal-1")), w.state.drainInstructions());
        assertNull(w.stateOf("b"));
        w.state.gatherDepSuccess("w2", Map.of("a", 1), 1, 2, "s2");
        assertNull(w.stateOf("a"), "the dependency fetched for b alone is not kept");
    }

    @Test
    void aConstrainedTaskIsReleased() {
        WorkerFixture w = new WorkerFixture(2, Map.of("GPU", 1.0));
        w.state.computeTask(compute("a", Map.of("GPU", 1.0), 0, "s1"));
        w.state.computeTask(compute("b", Map.of("GPU", 1.0), 1, "s2"));
        w.state.drainInstructions();
        w.state.stealRequest("b", "steal-1");
        assertEquals(List.of(response("b", WorkerTaskState.CONSTRAINED, "steal-1")), w.state.drainInstructions());
        assertEquals(0, w.state.constrainedCount());
    }

    @Test
    void anExecutingTaskIsKeptAndStillReportsItsResult() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.drainInstructions();
        w.take();
        w.state.stealRequest("a", "steal-1");
        assertEquals(List.of(response("a", WorkerTaskState.EXECUTING, "steal-1")), w.state.drainInstructions());
        assertEquals(List.of(), w.take());
        w.state.executeSuccess("a", 1, 1, 2, "s2");
        assertTrue(w.state.drainInstructions().get(0) instanceof WorkerInstruction.TaskFinishedMsg);
    }

    @Test
    void aLongRunningTaskIsKept() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.secede("a", "s2");
        w.state.drainInstructions();
        w.state.stealRequest("a", "steal-1");
        assertEquals(List.of(response("a", WorkerTaskState.LONG_RUNNING, "steal-1")), w.state.drainInstructions());
        assertEquals(WorkerTaskState.LONG_RUNNING, w.stateOf("a"));
    }

    @Test
    void aTaskInMemoryIsKept() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.computeTask(compute("a", "s1"));
        w.state.executeSuccess("a", 1, 1, 2, "s2");
        w.state.drainInstructions();
        w.state.stealRequest("a", "steal-1");
        assertEquals(List.of(response("a", WorkerTaskState.MEMORY, "steal-1")), w.state.drainInstructions());
        assertEquals(1, w.state.data("a"));
    }

    @Test
    void anUnknownKeyIsAnsweredReleased() {
        WorkerFixture w = new WorkerFixture(1, Map.of());
        w.state.stealRequest("nope", "steal-1");
        assertEquals(List.of(response("nope", WorkerTaskState.RELEASED, "steal-1")), w.state.drainInstructions());
        assertTrue(w.state.tasks().isEmpty());
    }
}
