package org.weft.plugins.resourcemonitor;

/**
 * One metric of one node over time: a ring of (epoch microseconds, value) pairs that keeps the
 * newest {@code capacity} points and counts those it overwrote. Thread-safe.
 */
final class TimeSeries {

    final String name;
    final String unit;
    private long[] times;
    private double[] values;
    private long written;
    private long droppedEarlier;

    TimeSeries(String name, String unit, int capacity) {
        this.name = name;
        this.unit = unit;
        times = new long[Math.max(1, capacity)];
        values = new double[times.length];
    }

    synchronized void add(long timeMicros, double value) {
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
    synchronized void resize(int capacity) {
        capacity = Math.max(1, capacity);
        if (capacity == times.length) {
            return;
        }
        Points kept = points();
        int from = Math.max(0, kept.times().length - capacity);
        droppedEarlier = dropped() + from;
        times = new long[capacity];
        values = new double[capacity];
        written = 0;
        for (int k = from; k < kept.times().length; k++) {
            add(kept.times()[k], kept.values()[k]);
        }
    }

    /** A copy of a series' points, oldest first. */
    record Points(String name, String unit, long[] times, double[] values) {
    }
}
