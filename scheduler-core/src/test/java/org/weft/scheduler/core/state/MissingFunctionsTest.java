package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.protocol.TaskSpec;

/**
 * A worker lacking a task function (a depot bundle providing it FAILED there) gets no task calling
 * it, whether queued (root-ish), without dependencies or with them; tasks no worker can run wait in
 * no-worker and move on once one can.
 */
class MissingFunctionsTest {

    private final SchedulerState state = new SchedulerState(SchedulerConfig.DEFAULTS.withValidation(true),
            new SchedulerEvents() {
            });

    MissingFunctionsTest() {
        state.addClient("c");
    }

    private List<ComputeTask> computes() {
        return state.drainInstructions().stream().filter(i -> i instanceof ComputeTask).map(i -> (ComputeTask) i)
                .collect(Collectors.toList());
    }

    private static List<TaskSpec> calls(String function, int n) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(new TaskSpec(function + "-" + i, function, List.of(i)));
        }
        return specs;
    }

    private void submit(List<TaskSpec> specs) {
        state.updateGraph("c", specs, specs.stream().map(TaskSpec::key).collect(Collectors.toSet()), "g", 0);
    }

    @Test
    void manyTasksCallingAMissingFunctionAllGoToTheWorkerThatHasIt() {
        state.addWorker("ok", 1, java.util.Map.of(), Set.of(), "j1");
        state.addWorker("lacks", 1, java.util.Map.of(), Set.of("square"), "j2");
        submit(calls("square", 50));
        submit(calls("inc", 50));
        List<ComputeTask> sent = computes();
        assertTrue(sent.stream().filter(c -> c.function().equals("square")).allMatch(c -> c.worker().equals("ok")),
                "no square task on the worker that lacks it: " + sent);
        assertTrue(sent.stream().anyMatch(c -> c.function().equals("inc") && c.worker().equals("lacks")),
                "other functions still go there: " + sent);
    }

    @Test
    void aTaskWithADependencyHeldByTheLackingWorkerRunsElsewhere() {
        state.addWorker("ok", 1, java.util.Map.of(), Set.of(), "j1");
        state.addWorker("lacks", 1, java.util.Map.of(), Set.of("square"), "j2");
        TaskSpec a = new TaskSpec("a", "inc", List.of(1), 0, 0, Set.of("lacks"), false, java.util.Map.of());
        submit(List.of(a));
        assertEquals("lacks", computes().get(0).worker());
        state.taskFinished("a", "lacks", 8, "Long", List.of(), "done-a");
        submit(List.of(new TaskSpec("b", "square", List.of(new org.weft.protocol.TaskRef("a")))));
        assertEquals(List.of("ok"), computes().stream().map(ComputeTask::worker).toList());
    }

    @Test
    void whenNoWorkerHasTheFunctionTasksWaitInNoWorkerUntilOneDoes() {
        state.addWorker("w1", 1, java.util.Map.of(), Set.of("square"), "j1");
        submit(calls("square", 3));
        assertEquals(List.of(), computes());
        assertEquals(SchedulerTaskState.NO_WORKER, state.tasks().get("square-0").state());
        state.setMissingFunctions("w1", Set.of(), "fixed");
        assertEquals(3, computes().size());
        assertEquals(SchedulerTaskState.PROCESSING, state.tasks().get("square-0").state());
    }

    @Test
    void aWorkerThatStartsLackingAFunctionGetsNoMoreOfItsTasks() {
        state.addWorker("w1", 1, "j1");
        state.addWorker("w2", 1, "j2");
        state.setMissingFunctions("w2", Set.of("square"), "failed");
        submit(calls("square", 20));
        assertTrue(computes().stream().allMatch(c -> c.worker().equals("w1")));
        state.removeWorker("w1", "gone");
        assertEquals(List.of(), computes(), "the tasks w1 had wait rather than go to w2");
        state.addWorker("w3", 1, "j3");
        assertTrue(computes().stream().allMatch(c -> c.worker().equals("w3")));
    }
}
