package org.weft.scheduler.core.stealing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction.StealRequest;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;
import org.weft.plugin.api.WorkerEvent;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.protocol.TaskSpec;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.state.SchedulerEvents;
import org.weft.scheduler.core.state.SchedulerState;
import org.weft.scheduler.core.state.TaskState;
import org.weft.scheduler.core.state.WorkerRecord;

/** The built-in stealing plugin, driven by a real state machine through the same hooks the host calls. */
class WorkStealingTest {

    private final WorkStealing stealing = new WorkStealing(0, 100e6);
    private final SchedulerState state = new SchedulerState(
            SchedulerConfig.DEFAULTS.withValidation(true).withWorkerSaturation(Double.POSITIVE_INFINITY),
            new SchedulerEvents() {
                @Override
                public void workerAdded(WorkerRecord worker, String stimulusId) {
                    stealing.addWorker(new WorkerEvent(worker.address(), worker.nthreads(), stimulusId));
                }

                @Override
                public void transition(TaskState task, SchedulerTaskState start, SchedulerTaskState finish,
                        String worker, String stimulusId) {
                    stealing.transition(new TransitionEvent(task.key(), start, finish, stimulusId, worker, -1, null,
                            List.of(), null, null));
                }
            });

    @Test
    void anIdleWorkerTakesTasksThatHaveNotStartedOnASaturatedOne() {
        stealing.start(state);
        state.addClient("c");
        state.addWorker("w1", 1, "j1");
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            specs.add(new TaskSpec("t-" + i, "noop", List.of()));
        }
        state.updateGraph("c", specs, specs.stream().map(TaskSpec::key).collect(Collectors.toSet()), "g", 0);
        state.drainInstructions();
        state.addWorker("w2", 2, "j2");
        state.addWorker("w3", 1, "j3");
        List<StealRequest> asked = state.drainInstructions().stream().filter(i -> i instanceof StealRequest)
                .map(i -> (StealRequest) i).collect(Collectors.toList());
        assertTrue(asked.size() >= 2, "the idle workers ask for work: " + asked);
        assertTrue(asked.stream().allMatch(r -> r.worker().equals("w1")), "all from the saturated victim");
        for (StealRequest r : asked) {
            state.stealResponse(r.key(), "w1", WorkerTaskState.READY, r.stimulusId());
        }
        List<SchedulerInstruction> moved = state.drainInstructions();
        Set<String> thieves = moved.stream().filter(i -> i instanceof ComputeTask).map(i -> ((ComputeTask) i).worker())
                .collect(Collectors.toSet());
        assertTrue(Set.of("w2", "w3").containsAll(thieves) && !thieves.isEmpty(), "moved to the idle workers: " + thieves);
        assertEquals(asked.size(), stealing.requested());
        assertEquals(20 - asked.size(), state.workers().get("w1").processingCount());
    }

    @Test
    void nothingIsStolenWhenNoWorkerIsSaturated() {
        stealing.start(state);
        state.addClient("c");
        state.addWorker("w1", 4, "j1");
        state.updateGraph("c", List.of(new TaskSpec("a", "noop", List.of())), Set.of("a"), "g", 0);
        state.addWorker("w2", 1, "j2");
        assertTrue(state.drainInstructions().stream().noneMatch(i -> i instanceof StealRequest));
        assertEquals(0, stealing.requested());
    }
}
