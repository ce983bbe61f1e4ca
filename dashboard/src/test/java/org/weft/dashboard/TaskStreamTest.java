package org.weft.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The task stream's ring: what a page gets since its last look, whole or thinned out evenly. */
class TaskStreamTest {

    private static List<String> keysSince(TaskStream stream, long seq, int limit, long[] newest) throws Exception {
        List<String> keys = new ArrayList<>();
        newest[0] = stream.since(seq, limit, (key, worker, start, stop, erred) -> keys.add(key));
        return keys;
    }

    private static TaskStream withSpans(int capacity, int n) {
        TaskStream stream = new TaskStream(capacity);
        for (int i = 0; i < n; i++) {
            stream.add("t-" + i, "w" + (i % 2), i, i + 1, false);
        }
        return stream;
    }

    @Test
    void givesEverySpanSinceTheLastLookWhenFewAreNew() throws Exception {
        TaskStream stream = withSpans(100, 10);
        long[] newest = {0};
        assertEquals(List.of("t-7", "t-8", "t-9"), keysSince(stream, 7, 50, newest));
        assertEquals(10, newest[0]);
        assertEquals(List.of(), keysSince(stream, 10, 50, newest));
    }

    @Test
    void thinsOutEvenlyBeyondTheLimit() throws Exception {
        TaskStream stream = withSpans(1000, 100);
        long[] newest = {0};
        assertEquals(List.of("t-0", "t-25", "t-50", "t-75"), keysSince(stream, 0, 4, newest),
                "spread over the whole time, not only the last moment");
        assertEquals(100, newest[0]);
    }

    @Test
    void overwrittenSpansAreSkippedAndKeepTheirColumns() throws Exception {
        TaskStream stream = withSpans(4, 10);
        List<String> seen = new ArrayList<>();
        stream.since(0, 100, (key, worker, start, stop, erred) -> seen.add(key + "@" + worker + ":" + start + "-" + stop));
        assertEquals(List.of("t-6@w0:6-7", "t-7@w1:7-8", "t-8@w0:8-9", "t-9@w1:9-10"), seen);
    }

    @Test
    void recordsOnlyWhenTold() {
        TaskStream stream = new TaskStream(10);
        assertFalse(stream.recording(), "no page open at first");
        stream.recording(true);
        assertEquals(true, stream.recording());
    }

    @Test
    void saysEachChangeOfRecordingOnce() {
        TaskStream stream = new TaskStream(10);
        int[] changes = {0};
        stream.onRecordingChange(() -> changes[0]++);
        stream.recording(true);
        stream.recording(true);
        stream.recording(false);
        stream.recording(false);
        assertEquals(2, changes[0], "on, then off: a change each, repeats are none");
        stream.onRecordingChange(null);
        stream.recording(true);
        assertEquals(2, changes[0]);
    }
}
