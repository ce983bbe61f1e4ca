package org.weft.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The task stream's ring: what a page gets since its last look, whole or thinned out evenly. */
class TaskStreamTest {

    private static List<String> keysSince(TaskStream stream, long seq, int limit, long[] newest) throws Exception {
        List<String> keys = new ArrayList<>();
        newest[0] = stream.since(seq, limit, (key, worker, start, stop, erred, tasks) -> keys.add(key)).seq();
        return keys;
    }

    /** Spans that join into no bar: each worker idles 9 ms between two. */
    private static TaskStream withSpans(int capacity, int n) {
        TaskStream stream = new TaskStream(capacity);
        for (int i = 0; i < n; i++) {
            stream.add("t-" + i, "w" + (i % 2), 10L * i, 10L * i + 1, false);
        }
        return stream;
    }

    private static List<String> bars(TaskStream stream) throws Exception {
        List<String> seen = new ArrayList<>();
        stream.since(0, 1000, (key, worker, start, stop, erred, tasks) ->
                seen.add(key + "@" + worker + ":" + start + "-" + stop + (erred ? "!" : "") + "x" + tasks));
        return seen;
    }

    /**
     * The plugin adds on the scheduler loop: a page whose writing is stuck (a full socket) must not
     * hold it up, so the bars are handed over after the stream's lock is released.
     */
    @Test
    void addsWhileAPagesWritingIsStuck() throws Exception {
        TaskStream stream = withSpans(100, 10);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread feed = new Thread(() -> {
            try {
                stream.since(0, 1000, (key, worker, start, stop, erred, tasks) -> {
                    writing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        feed.start();
        try {
            assertTrue(writing.await(10, TimeUnit.SECONDS));
            CompletableFuture<Void> added = CompletableFuture.runAsync(() -> stream.add("late-1", "w0", 500, 501, false));
            added.get(10, TimeUnit.SECONDS); // a TimeoutException here: the loop would wait for the page
            assertEquals(11, stream.tasks());
        } finally {
            release.countDown();
            feed.join(10_000);
        }
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
        assertEquals(List.of("t-6@w0:60-61x1", "t-7@w1:70-71x1", "t-8@w0:80-81x1", "t-9@w1:90-91x1"), bars(stream));
    }

    @Test
    void tasksAThreadRunsBackToBackWithOnePrefixMakeOneBar() throws Exception {
        TaskStream stream = new TaskStream(100);
        stream.add("inc-1", "w0", 10, 12, false);
        stream.add("inc-2", "w0", 12, 12, false);
        stream.add("inc-3", "w0", 13, 15, false); // 1 ms later: the timings' resolution, no gap
        stream.add("inc-4", "w1", 10, 20, false); // another worker
        assertEquals(4, stream.tasks());
        assertEquals(0, stream.last(), "both bars still open");
        assertEquals(List.of("inc-1@w0:10-15x3", "inc-4@w1:10-20x1"), bars(stream));
        assertEquals(2, stream.last(), "a look puts the open bars into the ring");
        assertEquals(4, stream.tasks());
    }

    @Test
    void aGapAnotherPrefixOrAFailureStartsANewBar() throws Exception {
        TaskStream stream = new TaskStream(100);
        stream.add("inc-1", "w0", 10, 11, false);
        stream.add("inc-2", "w0", 13, 14, false); // a gap of 2 ms
        stream.add("double-3", "w0", 14, 15, false); // another prefix
        stream.add("double-4", "w0", 15, 16, true); // failed
        stream.add("double-5", "w0", 16, 17, true);
        stream.add("pi-chunk-1", "w0", 17, 18, false);
        stream.add("pi-chunk-2", "w0", 18, 19, false);
        stream.add("pi-1", "w0", 19, 20, false); // a shorter prefix that pi-chunk starts with
        assertEquals(List.of("inc-1@w0:10-11x1", "inc-2@w0:13-14x1", "double-3@w0:14-15x1", "double-4@w0:15-17!x2",
                "pi-chunk-1@w0:17-19x2", "pi-1@w0:19-20x1"), bars(stream));
    }

    @Test
    void overlappingTasksOfOneWorkerAreItsThreadsBars() throws Exception {
        TaskStream stream = new TaskStream(100);
        stream.add("inc-1", "w0", 10, 20, false); // thread A
        stream.add("inc-2", "w0", 12, 18, false); // thread B: overlaps A
        stream.add("inc-3", "w0", 18, 25, false); // B again: B ended last at or before 18
        stream.add("inc-4", "w0", 20, 22, false); // A again
        assertEquals(List.of("inc-1@w0:10-22x2", "inc-2@w0:12-25x2"), bars(stream));
    }

    @Test
    void countsTheTasksOfTheBarsNotSent() throws Exception {
        TaskStream stream = new TaskStream(100);
        for (int i = 0; i < 10; i++) {
            stream.add("inc-" + i, "w0", 10L * i, 10L * i + 1, false); // ten bars of one task
        }
        stream.add("inc-10", "w0", 91, 95, false); // joins the tenth bar: it has two
        TaskStream.Place start = stream.recent(3);
        assertEquals(7, start.seq());
        assertEquals(7, start.tasks(), "the tasks in the bars before the 8th");
        long[] sent = {0};
        TaskStream.Place end = stream.since(start.seq(), 2, (key, worker, s, stop, erred, tasks) -> sent[0] += tasks);
        assertEquals(10, end.seq());
        assertEquals(11, end.tasks());
        assertEquals(2, sent[0], "the 8th and 9th bars picked of the last three");
        assertEquals(2, end.tasks() - start.tasks() - sent[0], "not sent: the last bar's two tasks");
    }

    @Test
    void keyPrefixesAreTheSchedulersDaskKeySplit() {
        for (String[] c : new String[][] {{"inc-1f2e3d4c", "inc"}, {"pi-chunk-17", "pi-chunk"}, {"x", "x"},
                {"a-b-c-12", "a-b-c"}, {"load-deadbeef-part", "load"}, {"f--x", "f"}, {"('sum', 3)", "('sum', 3)"}}) {
            assertEquals(c[1], c[0].substring(0, org.weft.plugin.api.TaskView.prefixLength(c[0])), c[0]);
        }
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
