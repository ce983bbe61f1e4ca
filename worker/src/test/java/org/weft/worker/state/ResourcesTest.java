package org.weft.worker.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.worker.state.WorkerFixture.compute;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.node.WorkerInstruction.Execute;
import org.weft.plugin.api.WorkerTaskState;

/** Abstract resources on a worker: constrained tasks, held while running, given back after. */
class ResourcesTest {

    private static final Map<String, Double> ONE_GPU = Map.of("GPU", 1.0);

    private static Execute execute(String key, String stimulusId) {
        return new Execute(key, "fn-" + key, List.of(), stimulusId);
    }

    @Test
    void aTaskWaitsConstrainedUntilItsResourcesAreFreeAndHoldsThemWhileItRuns() {
        WorkerFixture w = new WorkerFixture(2, ONE_GPU);
        w.state.computeTask(compute("a", ONE_GPU, 0, "s1"));
        w.state.computeTask(compute("b", ONE_GPU, 1, "s2"));
        assertEquals(List.of(execute("a", "s1")), w.state.drainInstructions());
        assertEquals(List.of("a:released->waiting", "a:waiting->constrained", "a:constrained->executing",
                "b:released->waiting", "b:waiting->constrained"), w.take());
        assertEquals(0.0, w.state.resources().available().get("GPU"));
        assertEquals(1, w.state.constrainedCount());
        assertEquals(1, w.state.threadsInUse(), "a thread is free, but the GPU is not");

        w.state.executeSuccess("a", 1, 1, 2, "s3");
        assertEquals(execute("b", "s3"), w.state.drainInstructions().get(1));
        assertEquals(List.of("a:executing->memory", "b:constrained->executing"), w.take());
        assertEquals(0.0, w.state.resources().available().get("GPU"));

        w.state.executeFailure("b", "boom", null, 3, 4, "s4");
        assertEquals(1.0, w.state.resources().available().get("GPU"), "given back when the run fails too");
    }

    @Test
    void tasksWithoutResourcesRunBesideAConstrainedTask() {
        WorkerFixture w = new WorkerFixture(2, ONE_GPU);
        w.state.computeTask(compute("gpu1", ONE_GPU, 0, "s1"));
        w.state.computeTask(compute("gpu2", ONE_GPU, 1, "s2"));
        w.state.drainInstructions();
        w.state.computeTask(compute("cpu", Map.of(), 2, "s3"));
        assertEquals(List.of(execute("cpu", "s3")), w.state.drainInstructions());
        assertEquals(WorkerTaskState.CONSTRAINED, w.stateOf("gpu2"));
    }

    @Test
    void aTaskNeedingSeveralResourcesStartsOnlyWhenAllAreFree() {
        WorkerFixture w = new WorkerFixture(4, Map.of("GPU", 2.0, "MEMORY", 8e9));
        w.state.computeTask(compute("big", Map.of("GPU", 1.0, "MEMORY", 6e9), 0, "s1"));
        w.state.computeTask(compute("both", Map.of("GPU", 1.0, "MEMORY", 4e9), 1, "s2"));
        assertEquals(WorkerTaskState.EXECUTING, w.stateOf("big"));
        assertEquals(WorkerTaskState.CONSTRAINED, w.stateOf("both"), "a GPU is free, the memory is not");
        w.state.executeSuccess("big", 1, 1, 2, "s3");
        assertEquals(WorkerTaskState.EXECUTING, w.stateOf("both"));
        assertEquals(Map.of("GPU", 1.0, "MEMORY", 4e9), w.state.resources().available());
    }

    @Test
    void theBestConstrainedTaskThatDoesNotFitYetBlocksTheOnesBehindIt() {
        WorkerFixture w = new WorkerFixture(4, Map.of("MEMORY", 10.0));
        w.state.computeTask(compute("running", Map.of("MEMORY", 6.0), 0, "s1"));
        w.state.computeTask(compute("large", Map.of("MEMORY", 8.0), 1, "s2"));
        w.state.computeTask(compute("small", Map.of("MEMORY", 4.0), 2, "s3"));
        assertEquals(WorkerTaskState.CONSTRAINED, w.stateOf("small"), "not starving 'large'");
        w.state.executeSuccess("running", 1, 1, 2, "s4");
        assertEquals(WorkerTaskState.EXECUTING, w.stateOf("large"));
        assertEquals(WorkerTaskState.CONSTRAINED, w.stateOf("small"));
    }

    @Test
    void aTaskThisWorkerCanNeverRunDoesNotBlockTheOthers() {
        WorkerFixture w = new WorkerFixture(2, ONE_GPU);
        w.state.computeTask(compute("two-gpus", Map.of("GPU", 2.0), 0, "s1"));
        w.state.computeTask(compute("tpu", Map.of("TPU", 1.0), 1, "s2"));
        w.state.computeTask(compute("one-gpu", ONE_GPU, 2, "s3"));
        assertEquals(List.of(execute("one-gpu", "s3")), w.state.drainInstructions());
        assertEquals(2, w.state.constrainedCount());
    }

    @Test
    void freeingAConstrainedTaskForgetsIt() {
        WorkerFixture w = new WorkerFixture(1, ONE_GPU);
        w.state.computeTask(compute("a", ONE_GPU, 0, "s1"));
        w.state.computeTask(compute("b", ONE_GPU, 1, "s2"));
        w.take();
        w.state.freeKeys(List.of("b"), "s3");
        assertEquals(List.of("b:constrained->released", "b:released->forgotten"), w.take());
        assertEquals(0, w.state.constrainedCount());
    }

    @Test
    void aRunFreedWhileExecutingKeepsItsResourcesUntilItReturns() {
        WorkerFixture w = new WorkerFixture(2, ONE_GPU);
        w.state.computeTask(compute("a", ONE_GPU, 0, "s1"));
        w.state.freeKeys(List.of("a"), "s2");
        w.state.computeTask(compute("b", ONE_GPU, 1, "s3"));
        assertEquals(WorkerTaskState.CONSTRAINED, w.stateOf("b"), "the orphaned run still uses the GPU");
        w.state.executeSuccess("a", 1, 1, 2, "s4");
        assertEquals(WorkerTaskState.EXECUTING, w.stateOf("b"));
    }

    @Test
    void parsesTheCommandLineSyntax() {
        assertEquals(Map.of("GPU", 1.0, "MEMORY", 8e9), WorkerResources.parse("GPU=1,MEMORY=8e9"));
        assertEquals(Map.of("GPU", 0.5), WorkerResources.parse(" GPU = 0.5 "));
        assertEquals(Map.of(), WorkerResources.parse(""));
        assertEquals(Map.of(), WorkerResources.parse(null));
        for (String bad : List.of("GPU", "GPU=", "=1", "GPU=x", "GPU=-1", "GPU=1,", "GPU=NaN", "GPU=Infinity",
                "GPU=1;MEMORY=2", "1GPU=1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerResources.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("NAME=QUANTITY"), e.getMessage());
        }
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> WorkerResources.parse("GPU=1,GPU=2"));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    }
}
