package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.FreeKeys;
import org.weft.node.SchedulerInstruction;
import org.weft.protocol.TaskSpec;

/** One stimulus that frees many keys sends one FreeKeys per worker, not one per key. */
class FreeKeysBatchingTest {

    @Test
    void releasingManyKeysSendsOneFreeKeysPerWorkerWithEveryKey() {
        // queuing off: every task is sent at once, so the loop below sees them all
        SchedulerState state = new SchedulerState(
                new SchedulerConfig(true, 10_000, 3).withWorkerSaturation(Double.POSITIVE_INFINITY), null);
        state.addClient("c");
        state.addWorker("w1", 1, "add-w1");
        state.addWorker("w2", 1, "add-w2");
        List<TaskSpec> specs = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            specs.add(new TaskSpec("t-" + i, "noop", List.of()));
            keys.add("t-" + i);
        }
        state.updateGraph("c", specs, Set.copyOf(keys), "g");
        List<String> onW1 = new ArrayList<>();
        List<String> onW2 = new ArrayList<>();
        for (SchedulerInstruction i : state.drainInstructions()) {
            SchedulerInstruction.ComputeTask c = (SchedulerInstruction.ComputeTask) i;
            (c.worker().equals("w1") ? onW1 : onW2).add(c.key());
            state.taskFinished(c.key(), c.worker(), 8, "Long", List.of(), "done-" + c.key());
        }
        state.drainInstructions();

        state.releaseKeys("c", keys, "release");

        List<SchedulerInstruction> out = state.drainInstructions();
        assertEquals(2, out.size(), out.toString());
        assertEquals(new FreeKeys("w1", onW1, "release"), out.get(0));
        assertEquals(new FreeKeys("w2", onW2, "release"), out.get(1));
        assertEquals(0, state.tasks().size());

        state.releaseKeys("c", keys, "again"); // nothing left to free: no empty FreeKeys
        assertEquals(List.of(), state.drainInstructions());
    }
}
