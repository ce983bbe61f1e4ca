package org.weft.plugins.resourcemonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.weft.plugins.resourcemonitor.TaskSpan.Phase;

/** The spans and thread lanes a worker's trace makes of its transitions. */
class WorkerTrackTest {

    private final WorkerTrack track = new WorkerTrack("inproc://worker-1", 2, 100);

    @Test
    void aTaskTakesTheLowestFreeLaneAndKeepsItWhenItSecedes() {
        track.transition("a", null, Phase.EXECUTING, "s1", 10, -1, null);
        track.transition("b", null, Phase.EXECUTING, "s2", 11, -1, null);
        track.transition("a", Phase.EXECUTING, Phase.LONG_RUNNING, "s3", 20, -1, null);
        assertEquals(2, track.executing());
        track.transition("b", Phase.EXECUTING, null, "s4", 30, 8, null);
        track.transition("c", null, Phase.EXECUTING, "s5", 31, -1, null); // b's lane, free again
        track.transition("a", Phase.LONG_RUNNING, null, "s6", 40, 16, "boom");
        track.transition("c", Phase.EXECUTING, null, "s7", 41, -1, null);
        assertEquals(0, track.executing());
        assertEquals(List.of(
                new TaskSpan("a", Phase.EXECUTING, 0, 10, 10, -1, null),
                new TaskSpan("b", Phase.EXECUTING, 1, 11, 19, 8, null),
                new TaskSpan("a", Phase.LONG_RUNNING, 0, 20, 20, 16, "boom"),
                new TaskSpan("c", Phase.EXECUTING, 1, 31, 10, -1, null)), track.spans.snapshot());
    }

    @Test
    void waitingIsASpanOnlyWhenTheTaskWaitedForAnotherStimulus() {
        track.transition("ready-at-once", null, Phase.WAITING, "compute-1", 10, -1, null);
        track.transition("ready-at-once", Phase.WAITING, null, "compute-1", 10, -1, null);
        track.transition("waited", null, Phase.WAITING, "compute-2", 12, -1, null);
        track.transition("waited", Phase.WAITING, Phase.EXECUTING, "input-arrived", 50, -1, null);
        assertEquals(List.of(new TaskSpan("waited", Phase.WAITING, -1, 12, 38, -1, null)), track.spans.snapshot());
    }

    @Test
    void withoutAGivenTimeTheTraceClockTimesTheSpan() {
        long before = TraceClock.nowMicros();
        track.transition("a", null, Phase.EXECUTING, "s1", WorkerTrack.NOW, -1, null);
        track.transition("a", Phase.EXECUTING, null, "s2", WorkerTrack.NOW, 8, null);
        long after = TraceClock.nowMicros();
        TaskSpan span = track.spans.snapshot().get(0);
        assertTrue(span.startMicros() >= before && span.startMicros() + span.durationMicros() <= after, span.toString());
        assertTrue(span.durationMicros() >= 0);
    }
}
