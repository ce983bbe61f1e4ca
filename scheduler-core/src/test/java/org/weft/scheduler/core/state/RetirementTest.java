package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.AcquireReplicas;
import org.weft.node.SchedulerInstruction.CloseWorker;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.protocol.RetireOutcome;
import org.weft.protocol.TaskSpec;

/** Dask's retire_workers: no new tasks, unique results copied first, then close; or a clear failure. */
class RetirementTest {

    private final List<String> removed = new ArrayList<>();
    private SchedulerState state;

    @BeforeEach
    void setUp() {
        state = new SchedulerState(new SchedulerConfig(true, 10_000, 0), new SchedulerEvents() {
            @Override
            public void workerRemoved(WorkerRecord worker, String stimulusId) {
                removed.add(worker.address());
            }
        });
        state.addClient("c");
    }

    /** Runs {@code key} (a root task) to memory on {@code worker} and returns nothing else pending. */
    private void resultOn(String key, String worker) {
        state.updateGraph("c", List.of(new TaskSpec(key, "inc", List.of(1))), Set.of(key), "g-" + key);
        ComputeTask c = only(ComputeTask.class, state.drainInstructions());
        if (!c.worker().equals(worker)) {
            throw new AssertionError(key + " went to " + c.worker() + ", wanted " + worker);
        }
        state.taskFinished(key, worker, 8, "Long", List.of(), "done-" + key);
        state.drainInstructions();
    }

    private static <T> T only(Class<T> type, List<SchedulerInstruction> out) {
        List<T> found = out.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), "one " + type.getSimpleName() + " in " + out);
        return found.get(0);
    }

    private void retireAHoldingXWhileBRuns() {
        state.addWorker("a", 1, "add-a");
        resultOn("x", "a");
        state.addWorker("b", 1, "add-b");
        state.retireWorkers(List.of("a"), "retire-1");
    }

    @Test
    void uniqueResultIsCopiedThenTheWorkerClosesAsAnExpectedDeparture() {
        retireAHoldingXWhileBRuns();

        assertTrue(state.workers().get("a").closingGracefully());
        AcquireReplicas ask = only(AcquireReplicas.class, state.drainInstructions());
        assertEquals("b", ask.worker());
        assertEquals(Map.of("x", Set.of("a")), ask.whoHas());
        assertEquals(List.of(), state.drainRetireOutcomes(), "not retired before the copy landed");

        // the recipient reports the copy like a finished task: who-has grows, then a closes
        state.taskFinished("x", "b", 8, "Long", List.of(), "replica-x");

        List<SchedulerInstruction> out = state.drainInstructions();
        assertEquals("a", only(CloseWorker.class, out).worker());
        assertFalse(state.workers().containsKey("a"));
        assertEquals(Set.of("b"), state.tasks().get("x").whoHas());
        assertEquals(SchedulerTaskState.MEMORY, state.tasks().get("x").state());
        assertEquals(List.of("a"), removed);
        assertEquals(List.of(RetireOutcome.retired("a", Map.of("x", "b"))), state.drainRetireOutcomes());
    }

    @Test
    void retiringWorkerGetsNoNewTasks() {
        state.addWorker("a", 4, "add-a");
        state.addWorker("b", 1, "add-b");
        resultOn("x", "a");
        state.retireWorkers(List.of("a"), "retire-1");
        state.drainInstructions();

        // b is busier and holds nothing this task needs, yet a is closing: everything goes to b
        state.updateGraph("c", List.of(new TaskSpec("y", "inc", List.of(1)), new TaskSpec("z", "inc", List.of(2)),
                new TaskSpec("d", "add", List.of(new org.weft.protocol.TaskRef("x"), 1))), Set.of("y", "z", "d"), "g2");
        List<SchedulerInstruction> out = state.drainInstructions();
        List<String> targets = out.stream().filter(ComputeTask.class::isInstance)
                .map(i -> ((ComputeTask) i).worker()).toList();
        assertEquals(List.of("b", "b", "b"), targets, "compute instructions: " + out);
    }

    @Test
    void runningTasksFinishBeforeTheWorkerClosesAndAreNotSuspicious() {
        state.addWorker("a", 1, "add-a");
        state.updateGraph("c", List.of(new TaskSpec("x", "inc", List.of(1))), Set.of("x"), "g1");
        state.drainInstructions();
        state.addWorker("b", 1, "add-b");

        state.retireWorkers(List.of("a"), "retire-1");
        assertTrue(state.drainInstructions().stream().noneMatch(CloseWorker.class::isInstance),
                "a is still running x");
        state.taskFinished("x", "a", 8, "Long", List.of(), "done-x");
        assertEquals("b", only(AcquireReplicas.class, state.drainInstructions()).worker());
        state.taskFinished("x", "b", 8, "Long", List.of(), "replica-x");
        only(CloseWorker.class, state.drainInstructions());
        assertEquals(List.of(RetireOutcome.retired("a", Map.of("x", "b"))), state.drainRetireOutcomes());
    }

    @Test
    void workerWithoutUniqueDataClosesAtOnce() {
        state.addWorker("a", 1, "add-a");
        state.addWorker("b", 1, "add-b");

        state.retireWorkers(List.of("a"), "retire-1");

        assertEquals("a", only(CloseWorker.class, state.drainInstructions()).worker());
        assertEquals(Set.of("b"), state.workers().keySet());
        assertEquals(List.of(RetireOutcome.retired("a", Map.of())), state.drainRetireOutcomes());
    }

    @Test
    void noRecipientMeansNotRetiredAndTheWorkerKeepsRunning() {
        state.addWorker("a", 1, "add-a");
        resultOn("x", "a");

        state.retireWorkers(List.of("a"), "retire-1");

        List<RetireOutcome> outcomes = state.drainRetireOutcomes();
        assertEquals(1, outcomes.size());
        assertFalse(outcomes.get(0).retired());
        assertTrue(outcomes.get(0).reason().contains("no other running worker"), outcomes.get(0).reason());
        assertTrue(state.drainInstructions().stream().noneMatch(CloseWorker.class::isInstance));
        assertFalse(state.workers().get("a").closingGracefully());
        // and it takes new work again
        state.updateGraph("c", List.of(new TaskSpec("y", "inc", List.of(1))), Set.of("y"), "g2");
        assertEquals("a", only(ComputeTask.class, state.drainInstructions()).worker());
    }

    @Test
    void retiringEveryWorkerHoldingDataKeepsOneForTheData() {
        state.addWorker("a", 1, "add-a");
        resultOn("x", "a");
        state.updateGraph("c", List.of(new TaskSpec("p", "inc", List.of(0))), Set.of("p"), "g-p");
        assertEquals("a", only(ComputeTask.class, state.drainInstructions()).worker());
        state.addWorker("b", 1, "add-b");
        resultOn("y", "b"); // a is busy with p, so y runs on b
        state.taskFinished("p", "a", 8, "Long", List.of(), "done-p");
        state.drainInstructions();

        state.retireWorkers(List.of("a", "b"), "retire-both");

        // a's data has nowhere to go, so a stays; then a takes b's data and b retires
        RetireOutcome first = state.drainRetireOutcomes().get(0);
        assertEquals("a", first.worker());
        assertFalse(first.retired());
        AcquireReplicas ask = only(AcquireReplicas.class, state.drainInstructions());
        assertEquals("a", ask.worker());
        assertEquals(Set.of("y"), ask.whoHas().keySet());
        state.taskFinished("y", "a", 8, "Long", List.of(), "replica-y");
        assertEquals(List.of(RetireOutcome.retired("b", Map.of("y", "a"))), state.drainRetireOutcomes());
        assertEquals(Set.of("a"), state.workers().keySet());
        assertEquals(Set.of("x", "p", "y"), state.workers().get("a").hasWhat());
    }

    @Test
    void unknownWorkerIsReportedNotRetired() {
        state.retireWorkers(List.of("nope"), "retire-1");
        RetireOutcome o = state.drainRetireOutcomes().get(0);
        assertFalse(o.retired());
        assertEquals("no worker 'nope'", o.reason());
    }

    @Test
    void recipientLostMidwayMeansAnotherCopyIsAsked() {
        state.addWorker("a", 1, "add-a");
        resultOn("x", "a");
        state.addWorker("b", 1, "add-b");
        state.addWorker("c1", 1, "add-c1");
        state.retireWorkers(List.of("a"), "retire-1");
        String first = only(AcquireReplicas.class, state.drainInstructions()).worker();

        state.removeWorker(first, "lost-" + first);

        AcquireReplicas again = only(AcquireReplicas.class, state.drainInstructions());
        assertFalse(again.worker().equals(first));
        state.taskFinished("x", again.worker(), 8, "Long", List.of(), "replica-x");
        assertEquals(List.of(RetireOutcome.retired("a", Map.of("x", again.worker()))), state.drainRetireOutcomes());
    }

    @Test
    void retiringWorkerThatIsLostIsReportedNotRetired() {
        retireAHoldingXWhileBRuns();

        state.removeWorker("a", "lost-a");

        RetireOutcome o = state.drainRetireOutcomes().get(0);
        assertFalse(o.retired());
        assertTrue(o.reason().contains("left"), o.reason());
    }
}
