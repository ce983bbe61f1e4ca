package org.weft.dashboard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most recent task spans, in a bounded ring of primitive columns (no object per task): the
 * dashboard plugin's delivery thread adds, the live feed's thread reads what is new since its last
 * look. The oldest are overwritten. Spans are recorded only while {@link #recording()} (a page is
 * open); the plugin wants no event at all while it is not recording.
 */
final class TaskStream {

    private final String[] keys;
    private final int[] workers;
    private final long[] starts;
    private final long[] stops;
    private final boolean[] erred;
    /** Worker addresses by index: a span holds the index, not the string. */
    private final List<String> workerNames = new ArrayList<>();
    private final Map<String, Integer> workerIndex = new HashMap<>();
    private long added;
    private volatile boolean recording;
    private volatile Runnable onChange = () -> { };

    TaskStream(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        keys = new String[capacity];
        workers = new int[capacity];
        starts = new long[capacity];
        stops = new long[capacity];
        erred = new boolean[capacity];
    }

    /** Whether spans are kept: set by the live feed while at least one page listens. */
    boolean recording() {
        return recording;
    }

    /** Keeps spans or not from now on; when that changes, runs the listener (on this thread). */
    void recording(boolean on) {
        boolean was = recording;
        recording = on;
        if (was != on) {
            onChange.run();
        }
    }

    /** What to run when {@link #recording()} changes: the plugin's way to say its interest changed. */
    void onRecordingChange(Runnable listener) {
        onChange = listener == null ? () -> { } : listener;
    }

    synchronized void add(String key, String worker, long startMillis, long stopMillis, boolean failed) {
        int at = (int) (added % keys.length);
        added++;
        keys[at] = key;
        workers[at] = workerIndex.computeIfAbsent(worker == null ? "" : worker, w -> {
            workerNames.add(w);
            return workerNames.size() - 1;
        });
        starts[at] = startMillis;
        stops[at] = stopMillis;
        erred[at] = failed;
    }

    /** How many spans were ever added: the sequence number of the newest. */
    synchronized long last() {
        return added;
    }

    /** Receives spans one by one, without an object per span. */
    interface SpanSink {
        void span(String key, String worker, long startMillis, long stopMillis, boolean erred) throws IOException;
    }

    /**
     * Hands {@code sink} the spans after sequence number {@code seq}, oldest first: all of them when
     * at most {@code limit} are there (and still in the ring), else {@code limit} picked evenly
     * across them, so a busy stream is drawn thinned out over its whole time rather than only its
     * last moment. Returns the sequence number of the newest span looked at.
     */
    synchronized long since(long seq, int limit, SpanSink sink) throws IOException {
        long from = Math.max(seq, added - keys.length);
        long available = added - from;
        if (available <= 0 || limit <= 0) {
            return added;
        }
        long picked = Math.min(available, limit);
        for (long i = 0; i < picked; i++) {
            long n = from + (i * available) / picked; // evenly spaced, the first one always in
            int at = (int) (n % keys.length);
            sink.span(keys[at], workerNames.get(workers[at]), starts[at], stops[at], erred[at]);
        }
        return added;
    }
}
