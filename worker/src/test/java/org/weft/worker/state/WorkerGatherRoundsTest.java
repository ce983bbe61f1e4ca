package org.weft.worker.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.WorkerInstruction.GatherDep;
import org.weft.plugin.api.TaskPriority;
import org.weft.protocol.TaskRef;

/**
 * Gather rounds look only at tasks new to fetch unless a peer became free, and still start every
 * transfer that can start: one per free peer, none to a busy peer, the waiting ones when it frees.
 */
class WorkerGatherRoundsTest {

    private static final String SELF = "inproc://self";

    private static ComputeTask needs(String key, String dep, String holder, String stimulusId) {
        return new ComputeTask(SELF, key, "add", List.of(new TaskRef(dep)), Map.of(dep, Set.of(holder)),
                new TaskPriority(0, 0, 0), Map.of(), stimulusId);
    }

    private static List<GatherDep> gathers(WorkerState state) {
        return state.drainInstructions().stream().filter(GatherDep.class::isInstance).map(GatherDep.class::cast).toList();
    }

    @Test
    void busyPeerGetsNoSecondTransferFreePeerGetsOneAndTheWaitingKeyGoesWhenThePeerFrees() {
        WorkerState state = new WorkerState(SELF, 1, null, true, 1000);
        state.computeTask(needs("x", "a", "p1", "s1"));
        assertEquals(List.of(new GatherDep("p1", Set.of("a"), "s1")), gathers(state));

        state.computeTask(needs("y", "b", "p1", "s2")); // p1 busy: b waits in fetch
        assertEquals(List.of(), gathers(state));

        state.computeTask(needs("z", "c", "p2", "s3")); // p2 free: c goes at once, b still waits
        assertEquals(List.of(new GatherDep("p2", Set.of("c"), "s3")), gathers(state));

        state.gatherDepSuccess("p1", Map.of("a", 1L), 0, 1, "s4"); // p1 free again: b goes now
        List<GatherDep> after = gathers(state);
        assertEquals(List.of(new GatherDep("p1", Set.of("b"), "s4")), after);
    }

    @Test
    void newHolderOfAKeyAlreadyInFetchIsTried() {
        WorkerState state = new WorkerState(SELF, 1, null, true, 1000);
        state.computeTask(needs("x", "a", "p1", "s1"));
        state.computeTask(needs("y", "b", "p1", "s2")); // b waits for busy p1
        assertEquals(List.of(new GatherDep("p1", Set.of("a"), "s1")), gathers(state));

        state.computeTask(needs("z", "b", "p2", "s3")); // b is also on free p2 now
        assertEquals(List.of(new GatherDep("p2", Set.of("b"), "s3")), gathers(state));
    }
}
