package org.weft.plugins.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;

/** The disk buffer's records: a transition kept as its fields comes back as the very JSON body; old files still read. */
class SpillSegmentsTest {

    @TempDir
    Path dir;

    private static TransitionEvent event(String key, String worker) {
        return new TransitionEvent(key, SchedulerTaskState.PROCESSING, SchedulerTaskState.MEMORY, "task-finished-\"7\"",
                worker, -1, null, List.of(), null, null);
    }

    @Test
    void aTransitionKeptAsItsFieldsComesBackAsTheBodyItWouldHaveHad() throws Exception {
        String[] keys = {"inc-42", "q\"uote\\back\nline\ttab\u0001ctl-é-€-\uD83D\uDE00-('x', 3)", ""};
        SpillSegments disk = new SpillSegments(dir, 64 << 10);
        for (int i = 0; i < keys.length; i++) {
            disk.append(OutboundMessage.of(event(keys[i], i == 1 ? null : "local-" + i), 1_796_530_000_023L + i, "weft-1", i + 1));
        }
        assertEquals(3, disk.messages());
        long bytes = disk.bytes();
        assertTrue(bytes > 0);
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.allMatch(f -> f.getFileName().toString().endsWith(".spill2")), "written as .spill2");
        }
        for (int i = 0; i < keys.length; i++) {
            OutboundMessage m = disk.poll();
            assertEquals(i + 1, m.seq());
            assertFalse(m.sent());
            assertArrayEquals(TransitionJson.encode(event(keys[i], i == 1 ? null : "local-" + i), 1_796_530_000_023L + i,
                    "weft-1", i + 1), m.body());
        }
        assertNull(disk.poll());
        assertEquals(0, disk.bytes(), "every record's bytes taken off the total");
        assertEquals(0, disk.messages());
    }

    @Test
    void workerNamesComeBackRightWhateverTheCacheHoldsOrReplaces() throws Exception {
        SpillSegments disk = new SpillSegments(dir, 64 << 10);
        String shared = "worker-shared";
        for (int i = 0; i < 100; i++) { // 40 distinct worker strings (beyond the cache), one object seen often
            disk.append(OutboundMessage.of(event("k" + i, i % 2 == 0 ? shared : new String("worker-" + i % 40)), 1_000L, "s", i));
        }
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(TransitionJson.encode(event("k" + i, i % 2 == 0 ? shared : "worker-" + i % 40), 1_000L, "s", i),
                    disk.poll().body());
        }
    }

    @Test
    void aMessagePublishedBeforeKeepsItsBodyAndItsMark() throws Exception {
        SpillSegments disk = new SpillSegments(dir, 64 << 10);
        OutboundMessage sent = OutboundMessage.of(event("k", "w"), 5_000L, "s", 9).asSent();
        disk.append(sent);
        disk.flush();
        SpillSegments reopened = new SpillSegments(dir, 64 << 10);
        OutboundMessage m = reopened.poll();
        assertTrue(m.sent());
        assertArrayEquals(sent.body(), m.body());
    }

    @Test
    void segmentsOfTheFirstVersionAreReadFirstThenTheNewOnes() throws Exception {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("segment-0.spill")))) {
            for (long seq = 1; seq <= 2; seq++) { // int length, long seq, byte sent, short + scheduler, body
                byte[] body = ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
                out.writeInt(8 + 1 + 2 + 1 + body.length);
                out.writeLong(seq);
                out.writeByte(seq == 2 ? 1 : 0);
                out.writeShort(1);
                out.writeByte('s');
                out.write(body);
            }
        }
        SpillSegments disk = new SpillSegments(dir, 64 << 10);
        assertEquals(2, disk.messages());
        disk.append(OutboundMessage.of(event("k", "w"), 5_000L, "s", 3));
        OutboundMessage first = disk.poll();
        assertEquals("{\"seq\":1}", new String(first.body(), StandardCharsets.UTF_8));
        assertFalse(first.sent());
        assertTrue(disk.poll().sent());
        assertEquals(3, disk.poll().seq());
        assertNull(disk.poll());
        assertEquals(0, disk.bytes());
    }
}
