package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction.FreeKeys;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.protocol.TaskSpec;

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

    /**
     * Seed 288: a steal of x was asked of w3 (steal-32) while w3 ran x; x was then rescheduled onto
     * w3 and asked for again (steal-44). w3 answered steal-32 "executing" and steal-44 "waiting" (it
     * gave x up). The first answer took the pending steal, so the second, the one that counted, was
     * ignored: the scheduler kept x processing on w3, which had dropped it, and x and its dependents
     * waited forever. An answer is matched to its request by the stimulus id the victim echoes.
     */
    @Test
    void anAnswerToAnEarlierStealRequestIsStale() {
        state.addWorker("w1", 1, "add-w1");
        state.addWorker("w2", 1, "add-w2");
        state.updateGraph("c", List.of(task("x")), Set.of("x"), "g");
        String first = onlyCompute().worker();
        state.stealRequest("x", first.equals("w1") ? "w2" : "w1", "steal-1");
        state.drainInstructions();
        state.reschedule("x", null, "reschedule");
        String victim = onlyCompute().worker();
        String thief = victim.equals("w1") ? "w2" : "w1";
        state.stealRequest("x", thief, "steal-2");
        assertTrue(state.drainInstructions().contains(new SchedulerInstruction.StealRequest(victim, "x", "steal-2")));

        state.stealResponse("x", first, org.weft.plugin.api.WorkerTaskState.EXECUTING, "steal-1"); // stale
        state.stealResponse("x", victim, org.weft.plugin.api.WorkerTaskState.WAITING, "steal-2"); // gave x up

        assertEquals(thief, onlyCompute().worker(), "x must run where the victim gave it up to");
        assertEquals(thief, state.tasks().get("x").processingOn());
    }

    /**
     * Seeds 925, 518, 524, 1349: w1 finished x, but its report was late; meanwhile x was taken
     * back (released, rescheduled, or reset by a restart) and sent to w1 again, behind a free-keys.
     * When the first run's report arrived, the scheduler took it for the second run's: x in memory
     * on w1, which had dropped that result and then gave the new run up to a steal; x's dependents
     * waited forever. Each compute carries a run id (Dask's {@code run_id}) the worker echoes; an
     * answer of an earlier run of a task processing on the same worker is ignored.
     */
    @Test
    void aLateAnswerOfAnEarlierRunOnTheSameWorkerIsIgnored() {
        state.addWorker("w1", 1, "add-w1");
        state.updateGraph("c", List.of(task("x")), Set.of("x"), "g");
        ComputeTask first = onlyCompute();
        state.reschedule("x", null, "reschedule");
        ComputeTask second = onlyCompute();
        assertEquals("w1", second.worker());
        assertTrue(second.runId() != first.runId() && first.runId() != 0);

        state.taskFinished("x", "w1", first.runId(), 8, "Long", List.of(), "late-first-run");
        state.taskErred("x", "w1", first.runId(), "boom", null, List.of(), "late-first-run-erred");

        assertEquals(SchedulerTaskState.PROCESSING, state.tasks().get("x").state());
        assertEquals(List.of(), state.drainInstructions(), "nothing to free: w1 runs x again");
        state.taskFinished("x", "w1", second.runId(), 8, "Long", List.of(), "second-run");
        assertEquals(SchedulerTaskState.MEMORY, state.tasks().get("x").state());
    }

    /** The worker's answer names the run id of the compute it answers, also after a free and a new compute. */
    @Test
    void aWorkerEchoesTheRunIdOfTheLatestCompute() {
        org.weft.worker.state.WorkerState worker = new org.weft.worker.state.WorkerState("w1", 1,
                null, true, 100);
        worker.computeTask(new ComputeTask("w1", "x", "inc", List.of(1), java.util.Map.of(),
                org.weft.plugin.api.TaskPriority.DEFAULT, java.util.Map.of(), "compute-1", 41));
        worker.freeKeys(List.of("x"), "free"); // the first run goes on, orphaned
        worker.computeTask(new ComputeTask("w1", "x", "inc", List.of(1), java.util.Map.of(),
                org.weft.plugin.api.TaskPriority.DEFAULT, java.util.Map.of(), "compute-2", 42));
        worker.drainInstructions();
        worker.executeSuccess("x", 2, 0, 1, "first-run-returns"); // dropped: orphaned
        assertEquals(List.of(), worker.drainInstructions().stream()
                .filter(org.weft.node.WorkerInstruction.TaskFinishedMsg.class::isInstance).toList());
        worker.executeSuccess("x", 2, 1, 2, "second-run-returns");
        var finished = worker.drainInstructions().stream()
                .filter(org.weft.node.WorkerInstruction.TaskFinishedMsg.class::isInstance)
                .map(org.weft.node.WorkerInstruction.TaskFinishedMsg.class::cast).toList();
        assertEquals(1, finished.size());
        assertEquals(42, finished.get(0).runId());
    }
}
