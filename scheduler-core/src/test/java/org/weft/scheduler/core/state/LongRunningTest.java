package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.protocol.TaskSpec;

/** The scheduler's side of the worker slice: long-running reports and worker resources. */
class LongRunningTest {

    private final SchedulerState state = new SchedulerState(new SchedulerConfig(true, 1000, 3), null);

    private void submit(String key) {
        state.updateGraph("c", List.of(new TaskSpec(key, "inc", List.of(1))), Set.of(key), "graph-" + key);
    }

    @Test
    void aLongRunningTaskIsRecordedOnItsWorkerUntilItLeavesProcessing() {
        state.addClient("c");
        state.addWorker("w1", 1, "add-w1");
        submit("a");
        WorkerRecord w1 = state.workers().get("w1");

        state.taskLongRunning("a", "w2", "s1");
        state.taskLongRunning("unknown", "w1", "s2");
        assertEquals(0, w1.longRunningCount(), "misdirected reports are ignored");

        state.taskLongRunning("a", "w1", "s3");
        assertEquals(1, w1.longRunningCount());
        assertEquals(1, w1.processingCount(), "still processing there");

        state.taskFinished("a", "w1", 8, "Long", List.of(), "s4");
        assertEquals(0, w1.longRunningCount());
        state.taskLongRunning("a", "w1", "s5");
        assertEquals(0, w1.longRunningCount(), "a late report for a finished task is ignored");
    }

    /** Dask's run_id: a secede of an earlier run of the key on the same worker does not free the current run's thread. */
    @Test
    void aLongRunningReportOfAnEarlierRunOnTheSameWorkerIsIgnored() {
        state.addClient("c");
        state.addWorker("w1", 1, "add-w1");
        submit("a");
        long firstRun = state.tasks().get("a").runId;
        state.reschedule("a", null, "reschedule");
        long secondRun = state.tasks().get("a").runId;
        WorkerRecord w1 = state.workers().get("w1");
        assertEquals(w1, state.tasks().get("a").processingOn, "sent to w1 again");

        state.taskLongRunning("a", "w1", firstRun, "late-secede");
        assertEquals(0, w1.longRunningCount(), "the first run's secede is stale");
        state.taskLongRunning("a", "w1", secondRun, "secede");
        assertEquals(1, w1.longRunningCount());
    }

    @Test
    void aLostWorkerTakesItsLongRunningTasksAlong() {
        state.addClient("c");
        state.addWorker("w1", 1, "add-w1");
        submit("a");
        state.taskLongRunning("a", "w1", "s1");
        WorkerRecord w1 = state.workers().get("w1");
        state.removeWorker("w1", "s2");
        assertEquals(0, w1.longRunningCount());
    }

    @Test
    void aWorkerJoinsWithItsResources() {
        state.addWorker("w1", 2, Map.of("GPU", 1.0, "MEMORY", 8e9), "add-w1");
        state.addWorker("w2", 2, "add-w2");
        assertEquals(Map.of("GPU", 1.0, "MEMORY", 8e9), state.workers().get("w1").resources());
        assertEquals(Map.of(), state.workers().get("w2").resources());
    }
}
