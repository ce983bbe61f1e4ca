package org.weft.scheduler.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction;
import org.weft.node.WorkerInstruction;
import org.weft.node.link.WorkerLink;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.protocol.TaskSpec;
import org.weft.scheduler.core.state.SchedulerConfig;

/**
 * The scheduler node hands the run id of a worker's report to its state (Dask's {@code run_id}): a
 * late report of an earlier run of a key on the same worker is ignored, the current run's is taken.
 */
class StaleRunReportTest {

    private static final String WORKER = "tcp://w1:1";

    private final SchedulerNode node = new SchedulerNode(SchedulerConfig.DEFAULTS.withValidation(true),
            PluginHostConfig.DEFAULTS);
    private final BlockingQueue<ComputeTask> computes = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aLateResultOfAnEarlierRunOnTheSameWorkerIsIgnoredAndTheCurrentRunsIsTaken() throws Exception {
        node.start();
        node.addWorker(new RecordingLink(), 1).get(10, TimeUnit.SECONDS);
        node.addClient("c", reports -> { }).get(10, TimeUnit.SECONDS);
        node.updateGraph("c", List.of(new TaskSpec("x", "inc", List.of(1L))), Set.of("x")).get(10, TimeUnit.SECONDS);
        ComputeTask first = nextCompute();
        assertTrue(node.reschedule("x", null).get(10, TimeUnit.SECONDS));
        ComputeTask second = nextCompute();
        assertEquals(WORKER, second.worker());
        assertNotEquals(first.runId(), second.runId());

        node.workerReports(WORKER, List.of(
                new WorkerInstruction.TaskFinishedMsg("x", 8, "java.lang.Long", List.of(), "late-1", first.runId()),
                new WorkerInstruction.TaskErredMsg("x", "boom", null, List.of(), "late-2", first.runId())), false);
        assertEquals(SchedulerTaskState.PROCESSING, stateOfX(), "a report of the first run is stale");

        node.workerReports(WORKER, List.of(
                new WorkerInstruction.TaskFinishedMsg("x", 8, "java.lang.Long", List.of(), "now", second.runId())), false);
        assertEquals(SchedulerTaskState.MEMORY, stateOfX(), "the current run's report is taken");
    }

    private SchedulerTaskState stateOfX() throws Exception {
        return node.query(s -> s.tasks().get("x").state()).get(10, TimeUnit.SECONDS);
    }

    private ComputeTask nextCompute() throws InterruptedException {
        ComputeTask c = computes.poll(10, TimeUnit.SECONDS);
        assertNotNull(c, "no compute sent");
        return c;
    }

    private final class RecordingLink implements WorkerLink {
        @Override
        public String address() {
            return WORKER;
        }

        @Override
        public void computeTasks(List<ComputeTask> tasks) {
            computes.addAll(tasks);
        }

        @Override
        public void freeKeys(List<String> keys, String stimulusId) {
        }

        @Override
        public void control(List<SchedulerInstruction> instructions) {
        }
    }
}
