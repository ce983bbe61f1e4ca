package org.weft.examples.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.weft.plugin.api.SchedulerTaskState.ERRED;
import static org.weft.plugin.api.SchedulerTaskState.MEMORY;
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
    void countsOnlyProcessingToMemory() {
        Counter counter = new Counter();

        counter.transition(event("a", RELEASED, WAITING));
        counter.transition(event("a", WAITING, PROCESSING));
        counter.transition(event("a", PROCESSING, MEMORY));
        counter.transition(event("b", WAITING, MEMORY));
        counter.transition(event("c", PROCESSING, ERRED));
        counter.transition(event("d", PROCESSING, MEMORY));

        assertEquals(2, counter.count());
    }

    @Test
    void restartResetsTheCount() {
        Counter counter = new Counter();
        counter.transition(event("a", PROCESSING, MEMORY));

        counter.restart(null);

        assertEquals(0, counter.count());
        counter.transition(event("b", PROCESSING, MEMORY));
        assertEquals(1, counter.count());
    }

    @Test
    void reportsVersionOne() {
        assertEquals("1", new Counter().version());
    }
}
