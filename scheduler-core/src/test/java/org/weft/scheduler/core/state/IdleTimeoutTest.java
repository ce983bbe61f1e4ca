package org.weft.scheduler.core.state;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.protocol.TaskSpec;

/** Dask's idle-timeout: close after a quiet period with nothing processing and no client activity. */
class IdleTimeoutTest {

    private SchedulerState withTimeout(long timeout) {
        SchedulerState state = new SchedulerState(new SchedulerConfig(true, 10_000, 3).withIdleTimeout(timeout), null);
        state.addClient("c");
        state.addWorker("a", 1, "add-a");
        return state;
    }

    @Test
    void quietForTheWholeTimeoutMeansClose() {
        SchedulerState state = withTimeout(1_000);
        assertFalse(state.checkIdle(0), "the first check starts the quiet period");
        assertFalse(state.checkIdle(999));
        assertTrue(state.checkIdle(1_000));
    }

    @Test
    void processingTasksAreNotIdleEvenWithoutTransitions() {
        SchedulerState state = withTimeout(1_000);
        state.updateGraph("c", List.of(new TaskSpec("x", "sleep", List.of(10_000))), Set.of("x"), "g");
        assertFalse(state.checkIdle(0));
        assertFalse(state.checkIdle(5_000));
        assertFalse(state.checkIdle(10_000));
        state.taskFinished("x", "a", 8, "Long", List.of(), "done");
        assertFalse(state.checkIdle(10_001), "the transitions restart the quiet period");
        assertFalse(state.checkIdle(11_000));
        assertTrue(state.checkIdle(11_001));
    }

    @Test
    void tasksWithoutAWorkerAreNotIdle() {
        SchedulerState state = new SchedulerState(new SchedulerConfig(true, 10_000, 3).withIdleTimeout(1_000), null);
        state.addClient("c");
        state.updateGraph("c", List.of(new TaskSpec("x", "inc", List.of(1))), Set.of("x"), "g");
        state.checkIdle(0);
        assertFalse(state.checkIdle(5_000), "x waits for a worker");
    }

    @Test
    void clientActivityRestartsTheQuietPeriod() {
        SchedulerState state = withTimeout(1_000);
        state.checkIdle(0);
        state.noteClientActivity(); // e.g. a gather, which makes no transition
        assertFalse(state.checkIdle(900));
        assertFalse(state.checkIdle(1_800));
        assertTrue(state.checkIdle(1_900));
    }

    @Test
    void noTimeoutNeverCloses() {
        SchedulerState state = withTimeout(0);
        state.checkIdle(0);
        assertFalse(state.checkIdle(Long.MAX_VALUE / 2));
    }
}
