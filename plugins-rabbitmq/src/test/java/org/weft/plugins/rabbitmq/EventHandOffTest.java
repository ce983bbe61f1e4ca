package org.weft.plugins.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;

/** The loop's hand-off to the plugin's thread: in order, never blocking, drops counted when full. */
class EventHandOffTest {

    private static TransitionEvent event(int i) {
        return new TransitionEvent("k" + i, SchedulerTaskState.RELEASED, SchedulerTaskState.WAITING, "s", null, -1,
                null, List.of(), null, null);
    }

    @Test
    void everyEventArrivesInOrderAndStopTakesWhatIsLeft() {
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        EventHandOff handOff = new EventHandOff(1 << 10, e -> got.add(e.key()));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            sent.add("k" + i);
        }
        // a producer faster than the ring is large: keep well under capacity by pacing on what arrived
        // (the taker frees slots for the loop every 64 events, not after each)
        for (int i = 0; i < 100_000; i++) {
            while (i - got.size() >= 512) {
                Thread.onSpinWait();
            }
            handOff.offer(event(i));
        }
        handOff.stop();
        assertEquals(sent, got);
        assertEquals(0, handOff.dropped());
    }

    @Test
    void whenTheRingIsFullTheEventIsDroppedAndCountedNotWaitedFor() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        EventHandOff handOff = new EventHandOff(16, e -> {
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            got.add(e.key());
        });
        for (int i = 0; i < 100; i++) {
            handOff.offer(event(i)); // returns at once although the taker is stuck
        }
        assertTrue(handOff.dropped() >= 100 - 16 - 1, "dropped " + handOff.dropped());
        release.countDown();
        handOff.stop();
        assertEquals(100, got.size() + handOff.dropped());
        assertEquals("k0", got.get(0));
    }
}
