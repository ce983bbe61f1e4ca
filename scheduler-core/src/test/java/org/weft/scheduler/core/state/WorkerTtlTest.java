package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction.CloseWorker;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.protocol.TaskSpec;

/** Dask's worker-ttl: a worker silent longer than the TTL is removed like a lost worker. */
class WorkerTtlTest {

    private SchedulerState withTtl(long ttl) {
        SchedulerState state = new SchedulerState(new SchedulerConfig(true, 10_000, 3).withWorkerTtl(ttl), null);
        state.addClient("c");
        return state;
    }

    @Test
    void silentWorkerIsRemovedToldToCloseAndItsTaskRunsElsewhere() {
        SchedulerState state = withTtl(1_000);
        state.addWorker("a", 1, "add-a");
        state.updateGraph("c", List.of(new TaskSpec("x", "inc", List.of(1))), Set.of("x"), "g");
        state.drainInstructions();
        state.addWorker("b", 1, "add-b");
        assertEquals(List.of(), state.checkWorkerTtl(10_000, "ttl-1"), "first check: both just seen");

        state.heartbeat("b", 10_900);
        assertEquals(List.of(), state.checkWorkerTtl(11_000, "ttl-2"), "exactly the TTL is not past it");
        state.heartbeat("b", 11_500);
        List<String> removed = state.checkWorkerTtl(11_001, "ttl-3");

        assertEquals(List.of("a"), removed);
        assertEquals(Set.of("b"), state.workers().keySet());
        List<SchedulerInstruction> out = state.drainInstructions();
        assertTrue(out.stream().anyMatch(i -> i instanceof CloseWorker c && c.worker().equals("a")
                && c.reason().contains("no heartbeat")), out.toString());
        assertTrue(out.stream().anyMatch(i -> i instanceof ComputeTask c && c.worker().equals("b")
                && c.key().equals("x")), "x rescheduled on b: " + out);
        assertEquals(SchedulerTaskState.PROCESSING, state.tasks().get("x").state());
    }

    @Test
    void heartbeatsKeepAWorker() {
        SchedulerState state = withTtl(1_000);
        state.addWorker("a", 1, "add-a");
        for (long t = 0; t < 10_000; t += 500) {
            state.heartbeat("a", t);
            assertEquals(List.of(), state.checkWorkerTtl(t + 400, "ttl-" + t));
        }
        assertEquals(Set.of("a"), state.workers().keySet());
    }

    @Test
    void ttlOfZeroNeverRemoves() {
        SchedulerState state = withTtl(0);
        state.addWorker("a", 1, "add-a");
        state.checkWorkerTtl(0, "ttl-1");
        assertEquals(List.of(), state.checkWorkerTtl(Long.MAX_VALUE / 2, "ttl-2"));
        assertEquals(Set.of("a"), state.workers().keySet());
    }

    @Test
    void heartbeatOfAnUnknownWorkerIsIgnoredAndARejoinedWorkerStartsAfresh() {
        SchedulerState state = withTtl(1_000);
        state.heartbeat("ghost", 0);
        state.addWorker("a", 1, "add-a");
        state.heartbeat("a", 0);
        state.removeWorker("a", "gone");
        state.addWorker("a", 1, "rejoin-a");
        assertEquals(List.of(), state.checkWorkerTtl(5_000, "ttl-1"), "the old heartbeat was forgotten");
        assertEquals(List.of("a"), state.checkWorkerTtl(6_001, "ttl-2"));
    }
}
