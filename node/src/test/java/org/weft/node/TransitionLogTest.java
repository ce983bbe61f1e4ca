package org.weft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.TransitionRecord;

class TransitionLogTest {

    @Test
    void storyIsTheKeysRecordsOldestFirstAndTheRingForgetsTheOldest() {
        TransitionLog log = new TransitionLog(4, "w1");
        log.add("a", "released", "waiting", "s1", 10);
        log.add("b", "released", "waiting", "s1", 10);
        log.add("a", "waiting", "processing", "s2", 11);
        assertEquals(List.of(new TransitionRecord("a", "released", "waiting", "s1", "w1", 10),
                new TransitionRecord("a", "waiting", "processing", "s2", "w1", 11)), log.story("a"));

        log.add("b", "waiting", "processing", "s3", 12);
        log.add("a", "processing", "memory", "s4", 13); // overwrites a's first record
        assertEquals(List.of(new TransitionRecord("a", "waiting", "processing", "s2", "w1", 11),
                new TransitionRecord("a", "processing", "memory", "s4", "w1", 13)), log.story("a"));
        assertEquals(List.of(), log.story("nope"));
        assertEquals(5, log.total());
    }

    @Test
    void schedulerLogNamesTheSchedulerAndNeedsCapacity() {
        TransitionLog log = new TransitionLog(1);
        log.add("a", "released", "waiting", "s", 1);
        assertEquals("scheduler", log.story("a").get(0).where());
        assertThrows(IllegalArgumentException.class, () -> new TransitionLog(0));
    }
}
