package org.weft.dashboard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.weft.plugin.api.TaskView;

/**
 * The most recent task spans, joined into bars and kept in a bounded ring of primitive columns (no
 * object per task): the dashboard plugin adds, on the scheduler loop, the live feed's thread reads what
 * is new since its last look (copying it out, so the loop never waits for a page's writing). The oldest bars are overwritten. Spans are recorded only while
 * {@link #recording()} (a page is open); the plugin wants no event at all while it is not recording.
 *
 * <p>A span that starts at most {@value #JOIN_GAP_MILLIS} ms after the bar of the same worker thread
 * ended (the timings' own resolution: no gap a page could draw), with the same key prefix and the same
 * outcome, lengthens that bar instead of starting a new one: a worker running thousands of short tasks
 * a second makes a few bars a second per thread, all of them drawn, rather than thousands of spans of
 * which a page could take only a sample. A bar holds its first task's key and the number of tasks it
 * covers; key prefixes are the scheduler's ({@link TaskView#prefixLength}). Which bar is a thread's is
 * worked out as the page does it: the worker's bar that ended last at or before the span's start. Open bars go into the ring when they cannot grow (another prefix or
 * outcome, a gap) and whenever the feed looks ({@link #since}).
 */
final class TaskStream {

    /** A span that starts at most this long after its thread's bar ended lengthens that bar. */
    static final long JOIN_GAP_MILLIS = 1;
    /** Open bars per worker at most (one per thread it runs tasks on at once); beyond, the oldest closes. */
    static final int MAX_OPEN_PER_WORKER = 256;

    private final String[] keys;
    private final int[] workers;
    private final long[] starts;
    private final long[] stops;
    private final boolean[] erred;
    private final int[] counts;
    /** Tasks in all bars put into the ring before this one. */
    private final long[] tasksBefore;
    /** Worker addresses by index: a bar holds the index, not the string. */
    private final List<String> workerNames = new ArrayList<>();
    private final Map<String, Integer> workerIndex = new HashMap<>();
    /** Per worker index, its bars still open (reused: no object per task). */
    private final List<List<Bar>> open = new ArrayList<>();
    /** Bars put into the ring so far: the sequence number of the newest. */
    private long added;
    /** Tasks in the bars put into the ring so far. */
    private long tasksAdded;
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
        counts = new int[capacity];
        tasksBefore = new long[capacity];
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

    /** One task's compute on {@code worker}: lengthens its thread's bar, or starts a bar. */
    synchronized void add(String key, String worker, long startMillis, long stopMillis, boolean failed) {
        String name = worker == null ? "" : worker;
        Integer index = workerIndex.get(name);
        if (index == null) {
            index = workerNames.size();
            workerNames.add(name);
            workerIndex.put(name, index);
            open.add(new ArrayList<>(2));
        }
        List<Bar> bars = open.get(index);
        Bar thread = null; // the bar that ended last at or before this start: the thread now free
        Bar idle = null;
        Bar earliest = null;
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            if (b.count == 0) {
                idle = idle == null ? b : idle;
            } else {
                if (b.stop <= startMillis && (thread == null || b.stop > thread.stop)) {
                    thread = b;
                }
                if (earliest == null || b.stop < earliest.stop) {
                    earliest = b;
                }
            }
        }
        if (thread != null && startMillis - thread.stop <= JOIN_GAP_MILLIS && thread.erred == failed
                && samePrefix(thread.key, thread.prefixLength, key)) {
            thread.stop = Math.max(thread.stop, stopMillis);
            thread.count++;
            return;
        }
        Bar bar = thread != null ? thread : idle;
        if (bar == null) {
            if (bars.size() < MAX_OPEN_PER_WORKER) {
                bar = new Bar();
                bars.add(bar);
            } else {
                bar = earliest;
            }
        }
        if (bar.count > 0) {
            emit(index, bar);
        }
        bar.key = key;
        bar.prefixLength = TaskView.prefixLength(key);
        bar.start = startMillis;
        bar.stop = stopMillis;
        bar.erred = failed;
        bar.count = 1;
    }

    private static boolean samePrefix(String barKey, int barPrefixLength, String key) {
        return key.regionMatches(0, barKey, 0, barPrefixLength) && TaskView.prefixLength(key) == barPrefixLength;
    }

    /** Puts a bar into the ring and empties it. */
    private void emit(int worker, Bar bar) {
        int at = (int) (added % keys.length);
        keys[at] = bar.key;
        workers[at] = worker;
        starts[at] = bar.start;
        stops[at] = bar.stop;
        erred[at] = bar.erred;
        counts[at] = bar.count;
        tasksBefore[at] = tasksAdded;
        added++;
        tasksAdded += bar.count;
        bar.count = 0;
        bar.key = null;
    }

    /** Puts every open bar into the ring. */
    private void flush() {
        for (int w = 0; w < open.size(); w++) {
            for (Bar b : open.get(w)) {
                if (b.count > 0) {
                    emit(w, b);
                }
            }
        }
    }

    /** How many bars were put into the ring: the sequence number of the newest. */
    synchronized long last() {
        return added;
    }

    /** Tasks recorded so far, in the ring's bars and the open ones. */
    synchronized long tasks() {
        long n = tasksAdded;
        for (List<Bar> bars : open) {
            for (Bar b : bars) {
                n += b.count;
            }
        }
        return n;
    }

    /**
     * A place in the stream: the sequence number of the newest bar seen and the tasks in the bars up
     * to it (the bars' count, so that a reader can tell the tasks it did not get).
     */
    record Place(long seq, long tasks) {
    }

    /** The place {@code back} bars before the newest (or the oldest kept), the open bars put in first. */
    synchronized Place recent(int back) {
        flush();
        long seq = Math.max(Math.max(0, added - back), added - keys.length);
        return new Place(seq, seq == added ? tasksAdded : tasksBefore[(int) (seq % keys.length)]);
    }

    /** Receives bars one by one, without an object per bar. */
    interface SpanSink {
        void span(String key, String worker, long startMillis, long stopMillis, boolean erred, int tasks)
                throws IOException;
    }

    /**
     * Puts the open bars into the ring, then hands {@code sink} the bars after sequence number
     * {@code seq}, oldest first: all of them when at most {@code limit} are there (and still in the
     * ring), else {@code limit} picked evenly across them, so a busy stream is drawn thinned out over
     * its whole time rather than only its last moment. Returns the newest bar looked at and the tasks
     * up to it. The bars are copied out under the lock and handed over after it: {@link #add} runs on
     * the scheduler loop and waits for no writer.
     */
    Place since(long seq, int limit, SpanSink sink) throws IOException {
        String[] k;
        String[] w;
        long[] st;
        long[] sp;
        boolean[] e;
        int[] c;
        Place place;
        synchronized (this) {
            flush();
            place = new Place(added, tasksAdded);
            long from = Math.max(seq, added - keys.length);
            long available = added - from;
            if (available <= 0 || limit <= 0) {
                return place;
            }
            int picked = (int) Math.min(available, limit);
            k = new String[picked];
            w = new String[picked];
            st = new long[picked];
            sp = new long[picked];
            e = new boolean[picked];
            c = new int[picked];
            for (int i = 0; i < picked; i++) {
                long n = from + (i * available) / picked; // evenly spaced, the first one always in
                int at = (int) (n % keys.length);
                k[i] = keys[at];
                w[i] = workerNames.get(workers[at]);
                st[i] = starts[at];
                sp[i] = stops[at];
                e[i] = erred[at];
                c[i] = counts[at];
            }
        }
        for (int i = 0; i < k.length; i++) {
            sink.span(k[i], w[i], st[i], sp[i], e[i], c[i]);
        }
        return place;
    }

    /** A worker thread's bar while it may still grow. */
    private static final class Bar {
        String key;
        int prefixLength;
        long start;
        long stop;
        boolean erred;
        int count;
    }
}
