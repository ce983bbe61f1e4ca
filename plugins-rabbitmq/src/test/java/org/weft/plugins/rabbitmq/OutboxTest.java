package org.weft.plugins.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffer: order kept across memory and disk, limits that drop the oldest and count them. */
class OutboxTest {

    @TempDir
    Path dir;

    private static OutboundMessage message(long seq) {
        return new OutboundMessage("s1", seq, ("{\"seq\":" + seq + ",\"pad\":\"" + "x".repeat(100) + "\"}")
                .getBytes(StandardCharsets.UTF_8), false);
    }

    private static List<Long> drain(Outbox outbox) {
        List<Long> seqs = new ArrayList<>();
        for (OutboundMessage m; (m = outbox.poll()) != null; ) {
            seqs.add(m.seq());
        }
        return seqs;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void memoryOnlyDropsTheOldestAndCountsThem() {
        Outbox outbox = new Outbox(100, 0, null);
        for (long i = 1; i <= 150; i++) {
            outbox.add(message(i));
        }
        assertEquals(50, outbox.dropped());
        assertEquals(range(51, 150), drain(outbox));
    }

    @Test
    void beyondMemoryMessagesGoToDiskAndComeBackInOrder() throws Exception {
        Outbox outbox = new Outbox(100, 10 << 20, new SpillSegments(dir, 64 << 10));
        for (long i = 1; i <= 5_000; i++) {
            outbox.add(message(i));
            if (i == 2_000) { // reading from disk while more arrive
                List<Long> first = new ArrayList<>();
                for (int k = 0; k < 1_000; k++) {
                    first.add(outbox.poll().seq());
                }
                assertEquals(range(1, 1_000), first);
            }
        }
        assertEquals(0, outbox.memoryMessages(), "while anything is on disk, new messages go to disk behind it");
        assertTrue(outbox.diskMessages() > 0);
        assertEquals(range(1_001, 5_000), drain(outbox));
        assertEquals(0, outbox.dropped());
        assertEquals(0, outbox.diskBytes());
    }

    @Test
    void beyondTheDiskLimitTheOldestSegmentIsDroppedAndCounted() throws Exception {
        Outbox outbox = new Outbox(10, 256 << 10, new SpillSegments(dir, 64 << 10));
        for (long i = 1; i <= 10_000; i++) {
            outbox.add(message(i));
        }
        long dropped = outbox.dropped();
        assertTrue(dropped > 0 && outbox.diskBytes() <= 256 << 10, "dropped " + dropped + ", " + outbox.diskBytes());
        List<Long> left = drain(outbox);
        assertEquals(10_000 - dropped, left.size(), "every message is either kept or counted");
        assertEquals(range(1, 10), left.subList(0, 10), "memory kept the oldest");
        assertEquals(range(10_001 - (left.size() - 10), 10_000), left.subList(10, left.size()),
                "disk lost its oldest, kept its newest, in order");
    }

    @Test
    void whatIsLeftAtCloseIsPublishedFirstByTheNextStart() throws Exception {
        Outbox outbox = new Outbox(100, 10 << 20, new SpillSegments(dir, 64 << 10));
        for (long i = 11; i <= 1_000; i++) {
            outbox.add(message(i));
        }
        for (int k = 0; k < 300; k++) { // 11..310 published; 1..10 were unconfirmed
            outbox.poll();
        }
        outbox.persist(List.of(message(1), message(2), message(3)));

        Outbox next = new Outbox(100, 10 << 20, new SpillSegments(dir, 64 << 10));
        next.add(message(1_001));
        List<Long> expected = new ArrayList<>(List.of(1L, 2L, 3L));
        expected.addAll(range(311, 1_001));
        assertEquals(expected, drain(next));
        assertNull(next.poll());
    }
}
