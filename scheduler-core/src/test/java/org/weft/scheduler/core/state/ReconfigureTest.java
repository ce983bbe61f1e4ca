package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.protocol.TaskSpec;

/** New settings between two stimuli ({@link SchedulerState#reconfigure}), on the pure state machine. */
class ReconfigureTest {

    private final SchedulerState state = new SchedulerState(SchedulerConfig.DEFAULTS.withValidation(true), null);

    ReconfigureTest() {
        state.addClient("c");
    }

    private void submit(String prefix, int n) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(new TaskSpec(prefix + "-" + i, "noop", List.of()));
        }
        state.updateGraph("c", specs, specs.stream().map(TaskSpec::key).collect(Collectors.toSet()), "g", 0);
    }

    private List<String> computed() {
        return state.drainInstructions().stream().filter(i -> i instanceof ComputeTask)
                .map(i -> ((ComputeTask) i).key()).collect(Collectors.toList());
    }

    @Test
    void aHigherSaturationSendsQueuedTasksAtOnce() {
        state.addWorker("w1", 2, "j");
        submit("x", 10);
        assertEquals(3, computed().size(), "ceil(1.1 x 2) slots");
        assertEquals(7, state.queuedCount());

        state.reconfigure(state.config().withWorkerSaturation(3), "more");
        assertEquals(List.of("x-3", "x-4", "x-5"), computed(), "ceil(3 x 2) = 6 slots now");
        assertEquals(4, state.queuedCount());
        assertEquals(3.0, state.config().workerSaturation());
    }

    @Test
    void queuingTurnedOffEmptiesTheQueue() {
        state.addWorker("w1", 2, "j");
        submit("x", 10);
        computed();
        state.reconfigure(state.config().withWorkerSaturation(Double.POSITIVE_INFINITY), "no-queuing");
        assertEquals(7, computed().size());
        assertEquals(0, state.queuedCount());
        submit("y", 10);
        assertEquals(10, computed().size(), "new root-ish tasks are no longer queued");
    }

    @Test
    void queuingTurnedOffWithNoWorkerKeepsTasksQueuedUntilOneJoins() {
        submit("x", 10);
        assertEquals(10, state.queuedCount());
        state.reconfigure(state.config().withWorkerSaturation(Double.POSITIVE_INFINITY), "no-queuing"); // validates
        assertEquals(10, state.queuedCount());
        state.addWorker("w1", 1, "j");
        assertEquals(10, computed().size());
        assertEquals(SchedulerTaskState.PROCESSING, state.tasks().get("x-9").state());
    }

    @Test
    void aSmallerStoryKeepsTheLatestTransitionsAndTheCount() {
        state.addWorker("w1", 2, "j");
        submit("x", 2);
        long total = state.transitionCount();
        assertTrue(state.story("x-0").size() + state.story("x-1").size() > 1);
        state.reconfigure(state.config().withStoryCapacity(1), "small");
        assertEquals(total, state.transitionCount(), "the count of transitions ever made stays");
        assertEquals(1, state.story("x-0").size() + state.story("x-1").size(), "only the latest is kept");
        state.reconfigure(state.config().withStoryCapacity(1_000), "large");
        state.taskFinished("x-0", "w1", 8, "Long", List.of(), "done");
        assertEquals(List.of("processing>memory"), state.story("x-0").stream()
                .filter(r -> r.stimulusId().equals("done")).map(r -> r.start() + ">" + r.finish()).toList());
    }
}
