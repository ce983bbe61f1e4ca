package org.weft.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recent task spans, in a bounded ring: the dashboard plugin's delivery thread adds, the
 * live feed's thread reads what is new since its last look. The oldest are overwritten.
 */
final class TaskStream {

    private final TaskSpan[] ring;
    private long added;

    TaskStream(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        ring = new TaskSpan[capacity];
    }

    synchronized void add(String key, String worker, long startMillis, long stopMillis, boolean erred) {
        added++;
        ring[(int) ((added - 1) % ring.length)] = new TaskSpan(added, key, worker, startMillis, stopMillis, erred);
    }

    /** How many spans were ever added: the sequence number of the newest. */
    synchronized long last() {
        return added;
    }

    /**
     * The spans after sequence number {@code seq}, oldest first, at most {@code limit} (the newest
     * of them when more are there).
     */
    synchronized List<TaskSpan> since(long seq, int limit) {
        long from = Math.max(Math.max(seq, added - ring.length), added - limit);
        List<TaskSpan> out = new ArrayList<>((int) Math.max(0, added - from));
        for (long n = from + 1; n <= added; n++) {
            out.add(ring[(int) ((n - 1) % ring.length)]);
        }
        return out;
    }
}
