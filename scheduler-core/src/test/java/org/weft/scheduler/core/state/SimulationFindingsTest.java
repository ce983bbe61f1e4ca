package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.client.spi.TaskSpec;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.scheduler.core.state.SchedulerInstruction.ComputeTask;
import org.weft.scheduler.core.state.SchedulerInstruction.FreeKeys;

/**
 * Defects the deterministic simulation ({@code core.sim.SimulationTest}) found, each reduced to
 * the stimuli that show it.
 */
class SimulationFindingsTest {

    private SchedulerState state;

    @BeforeEach
    void setUp() {
        state = new SchedulerState(new SchedulerConfig(true, 10_000, 3), null);
        state.addClient("c");
    }

    private static TaskSpec task(String key) {
        return new TaskSpec(key, "inc", List.of(1));
    }

    private ComputeTask onlyCompute() {
        List<SchedulerInstruction> out = state.drainInstructions();
        List<ComputeTask> computes = out.stream().filter(ComputeTask.class::isInstance).map(ComputeTask.class::cast)
                .toList();
        assertEquals(1, computes.size(), out.toString());
        return computes.get(0);
    }

    private static boolean frees(List<SchedulerInstruction> out, String worker, String key) {
        return out.stream().anyMatch(i -> i instanceof FreeKeys f && f.worker().equals(worker) && f.keys().contains(key));
    }

    /**
     * Seed 109: a task erred on w1, then its client left. The scheduler forgot the task but never
     * told w1, which kept the error (and the task) forever. As Dask's {@code erred_on}: releasing an
     * erred task frees it on the worker where it erred.
     */
    @Test
    void releasingAnErredTaskFreesItOnTheWorkerWhereItErred() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(task("x")), Set.of("x"), "g");
        assertEquals("w1", onlyCompute().worker());
        state.taskErred("x", "w1", "boom", null, List.of(), "erred-x");
        state.drainInstructions();

        state.removeClient("c", "client-leaves");

        assertTrue(frees(state.drainInstructions(), "w1", "x"), "w1 keeps the error of x forever");
        assertTrue(state.tasks().isEmpty());
    }

    /** An erred task wanted again runs again: the free for its error goes before the new compute. */
    @Test
    void anErredTaskRunAgainOnTheSameWorkerIsFreedThereFirst() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(task("x")), Set.of("x"), "g");
        onlyCompute();
        state.taskErred("x", "w1", "boom", null, List.of(), "erred-x");
        state.drainInstructions();
        state.releaseKeys("c", List.of("x"), "release");
        state.updateGraph("c", List.of(task("x")), Set.of("x"), "again");

        List<SchedulerInstruction> out = state.drainInstructions();
        assertTrue(frees(out, "w1", "x"), out.toString());
    }

    /**
     * Seed 300: w3 finished x, but its report was late; meanwhile the client released x (w3 was
     * told to free it, and did), wanted it again, and w1 computed it. When w3's old report arrived,
     * the scheduler counted w3 as a second holder of a result w3 no longer had. A result in memory
     * elsewhere is a new replica only if the scheduler asked that worker for one (retirement);
     * any other such report is stale, and the worker is told to drop the key.
     */
    @Test
    void aLateReportOfAResultAlreadyInMemoryElsewhereIsStale() {
        state.addWorker("w3", 1, "add-w3");
        state.updateGraph("c", List.of(task("x")), Set.of("x"), "g");
        assertEquals("w3", onlyCompute().worker());
        // w3 finishes x now; its report is late. The client lets x go and wants it again:
        state.releaseKeys("c", List.of("x"), "release");
        assertTrue(frees(state.drainInstructions(), "w3", "x"));
        state.removeWorker("w3", "w3-busy-elsewhere-in-this-story"); // so x runs on w1
        state.addWorker("w1", 1, "add-w1");
        state.addWorker("w3", 1, "w3-back");
        state.updateGraph("c", List.of(task("x")), Set.of("x"), "again");
        String runner = onlyCompute().worker();
        String other = runner.equals("w1") ? "w3" : "w1";
        state.taskFinished("x", runner, 8, "Long", List.of(), "done-x");
        state.drainInstructions();

        state.taskFinished("x", other, 8, "Long", List.of(), "late-report");

        assertEquals(SchedulerTaskState.MEMORY, state.tasks().get("x").state());
        assertEquals(Set.of(runner), state.tasks().get("x").whoHas(), "a holder that dropped x");
        assertTrue(frees(state.drainInstructions(), other, "x"), "the stale holder must drop whatever it has");
    }
}
