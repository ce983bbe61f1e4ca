package org.weft.plugins.resourcemonitor;

import java.util.Arrays;

/**
 * One metric of one node over time: a ring of (epoch microseconds, value) pairs that keeps the
 * newest {@code capacity} points and counts those it overwrote. The arrays start small and double
 * until they hold {@code capacity}: a recording's start does not allocate the bound of every
 * series at once (16 bytes × 36 000 points × each metric of each node, ~10 MB, made and zeroed by
 * the first sample while tasks run). Thread-safe.
 */
final class TimeSeries {

    final String name;
    final String unit;
    /** The arrays' length to begin with (10 s of samples at the default interval). */
    static final int INITIAL_LENGTH = 100;

    private long[] times;
    private double[] values;
    /** The most points kept; the arrays grow to it. */
    private int capacity;
    private long written;
    private long droppedEarlier;

    TimeSeries(String name, String unit, int capacity) {
        this.name = name;
        this.unit = unit;
        this.capacity = Math.max(1, capacity);
        times = new long[Math.min(this.capacity, INITIAL_LENGTH)];
        values = new double[times.length];
    }

    synchronized void add(long timeMicros, double value) {
        if (written == times.length && times.length < capacity) { // full before it ever wrapped: grow
            int length = (int) Math.min(capacity, 2L * times.length);
            times = Arrays.copyOf(times, length);
            values = Arrays.copyOf(values, length);
        }
        int i = (int) (written % times.length);
        times[i] = timeMicros;
        values[i] = value;
        written++;
    }

    /** The points held, oldest first. */
    synchronized Points points() {
        int held = (int) Math.min(written, times.length);
        long[] t = new long[held];
        double[] v = new double[held];
        for (int k = 0; k < held; k++) {
            int i = (int) ((written - held + k) % times.length);
            t[k] = times[i];
            v[k] = values[i];
        }
        return new Points(name, unit, t, v);
    }

    synchronized long dropped() {
        return droppedEarlier + Math.max(0, written - times.length);
    }

    /** A new capacity keeps the newest points that fit; the rest count as dropped. */
    synchronized void resize(int newCapacity) {
        newCapacity = Math.max(1, newCapacity);
        if (newCapacity == capacity) {
            return;
        }
        Points kept = points();
        int from = Math.max(0, kept.times().length - newCapacity);
        droppedEarlier = dropped() + from;
        capacity = newCapacity;
        times = new long[Math.min(newCapacity, Math.max(INITIAL_LENGTH, kept.times().length - from))];
        values = new double[times.length];
        written = 0;
        for (int k = from; k < kept.times().length; k++) {
            add(kept.times()[k], kept.values()[k]);
        }
    }

    /** A copy of a series' points, oldest first. */
    record Points(String name, String unit, long[] times, double[] values) {
    }
}
