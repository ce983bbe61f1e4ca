package org.weft.plugins.resourcemonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.weft.plugins.resourcemonitor.TaskSpan.Phase;

/** The bounded ring of one worker's spans: the loop adds without a lock, readers copy. */
class SpanRingTest {

    private static void add(SpanRing ring, int n) {
        ring.add("k" + n, Phase.EXECUTING, 0, n, n, n, null);
    }

    @Test
    void aFullRingKeepsTheNewestAndCountsTheRest() {
        SpanRing ring = new SpanRing(3);
        for (int n = 0; n < 5; n++) {
            add(ring, n);
        }
        assertEquals(List.of("k2", "k3", "k4"), ring.snapshot().stream().map(TaskSpan::key).toList());
        assertEquals(2, ring.dropped());
        assertEquals(3, ring.size());
    }

    @Test
    void aResizeIsAppliedByTheNextAddKeepingTheNewest() {
        SpanRing ring = new SpanRing(4);
        for (int n = 0; n < 4; n++) {
            add(ring, n);
        }
        ring.resize(2);
        add(ring, 4);
        assertEquals(List.of("k3", "k4"), ring.snapshot().stream().map(TaskSpan::key).toList());
        assertEquals(3, ring.dropped());
    }

    @Test
    void aSnapshotTakenWhileTheLoopAddsHoldsOnlyWholeSpansInOrder() throws Exception {
        SpanRing ring = new SpanRing(64);
        int total = 200_000;
        Thread loop = new Thread(() -> {
            for (int n = 0; n < total; n++) {
                add(ring, n);
            }
        });
        loop.start();
        while (loop.isAlive()) {
            List<TaskSpan> spans = ring.snapshot();
            for (int i = 0; i < spans.size(); i++) {
                TaskSpan s = spans.get(i);
                long n = s.startMicros();
                assertEquals("k" + n, s.key()); // no slot half overwritten
                assertEquals(n, s.durationMicros());
                assertEquals(n, s.nbytes());
                assertTrue(i == 0 || n == spans.get(i - 1).startMicros() + 1, "consecutive");
            }
        }
        loop.join();
        assertEquals(64, ring.snapshot().size());
        assertEquals(total - 64, ring.dropped());
    }
}
