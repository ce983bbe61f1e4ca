package org.weft.plugins.resourcemonitor;

import java.util.ArrayList;
import java.util.List;

import org.weft.plugins.resourcemonitor.TaskSpan.Phase;

/**
 * The spans of one worker in parallel arrays, keeping the newest {@code capacity} and counting the
 * ones overwritten: no object per span while recording (a span object per task, kept until the ring
 * wraps, was garbage the young collector had to copy), {@link TaskSpan}s only when a file is
 * written. Thread-safe: the worker's loop adds, writers snapshot.
 */
final class SpanRing {

    private static final Phase[] PHASES = Phase.values();

    private String[] keys;
    private byte[] phases;
    private int[] lanes;
    private long[] starts;
    private long[] durations;
    private long[] sizes;
    private String[] errors;
    private long written;
    private long droppedEarlier;

    SpanRing(int capacity) {
        allocate(Math.max(1, capacity));
    }

    private void allocate(int capacity) {
        keys = new String[capacity];
        phases = new byte[capacity];
        lanes = new int[capacity];
        starts = new long[capacity];
        durations = new long[capacity];
        sizes = new long[capacity];
        errors = new String[capacity];
    }

    synchronized void add(String key, Phase phase, int lane, long startMicros, long durationMicros, long nbytes,
            String error) {
        int i = (int) (written % keys.length);
        keys[i] = key;
        phases[i] = (byte) phase.ordinal();
        lanes[i] = lane;
        starts[i] = startMicros;
        durations[i] = durationMicros;
        sizes[i] = nbytes;
        errors[i] = error;
        written++;
    }

    /** The spans held, oldest first. */
    synchronized List<TaskSpan> snapshot() {
        int held = size();
        List<TaskSpan> out = new ArrayList<>(held);
        for (long n = written - held; n < written; n++) {
            int i = (int) (n % keys.length);
            out.add(new TaskSpan(keys[i], PHASES[phases[i]], lanes[i], starts[i], durations[i], sizes[i], errors[i]));
        }
        return out;
    }

    synchronized long dropped() {
        return droppedEarlier + Math.max(0, written - keys.length);
    }

    synchronized int size() {
        return (int) Math.min(written, keys.length);
    }

    /** A new capacity keeps the newest spans that fit; the rest count as dropped. */
    synchronized void resize(int capacity) {
        capacity = Math.max(1, capacity);
        if (capacity == keys.length) {
            return;
        }
        List<TaskSpan> kept = snapshot();
        int from = Math.max(0, kept.size() - capacity);
        droppedEarlier = dropped() + from;
        allocate(capacity);
        written = 0;
        for (TaskSpan s : kept.subList(from, kept.size())) {
            add(s.key(), s.phase(), s.lane(), s.startMicros(), s.durationMicros(), s.nbytes(), s.error());
        }
    }
}
