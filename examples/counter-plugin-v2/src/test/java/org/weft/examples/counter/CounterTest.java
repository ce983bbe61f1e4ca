package org.weft.examples.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.weft.plugin.api.SchedulerTaskState.ERRED;
import static org.weft.plugin.api.SchedulerTaskState.MEMORY;
import static org.weft.plugin.api.SchedulerTaskState.NO_WORKER;
import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;
import static org.weft.plugin.api.SchedulerTaskState.RELEASED;
import static org.weft.plugin.api.SchedulerTaskState.WAITING;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;

class CounterTest {

    private static TransitionEvent event(String key, SchedulerTaskState start, SchedulerTaskState finish) {
        return new TransitionEvent(key, start, finish, "test-" + key, "worker-1", -1, null, null, null, null);
    }

    @Test
    void countsFinishedAndErredSeparately() {
        Counter counter = new Counter();

        counter.transition(event("a", WAITING, PROCESSING));
        counter.transition(event("a", PROCESSING, MEMORY));
        counter.transition(event("b", PROCESSING, ERRED));
        counter.transition(event("c", NO_WORKER, ERRED));
        counter.transition(event("c", ERRED, RELEASED));

        assertEquals(1, counter.count());
        assertEquals(2, counter.erred());
    }

    @Test
    void restartResetsBothCounts() {
        Counter counter = new Counter();
        counter.transition(event("a", PROCESSING, MEMORY));
        counter.transition(event("b", PROCESSING, ERRED));

        counter.restart(null);

        assertEquals(0, counter.count());
        assertEquals(0, counter.erred());
    }

    @Test
    void reportsVersionTwo() {
        assertEquals("2", new Counter().version());
    }
}
