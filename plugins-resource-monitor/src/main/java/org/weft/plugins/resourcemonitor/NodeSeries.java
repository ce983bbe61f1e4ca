package org.weft.plugins.resourcemonitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sampled metrics of one node (a process, or a worker), each a bounded {@link TimeSeries}.
 * Metrics appear as they are first recorded, so sources found later (a GPU) add their own.
 */
final class NodeSeries {

    /** What kind of node: a process (machine and JVM figures) or a worker (its tasks). */
    enum Kind { PROCESS, WORKER }

    final String name;
    final Kind kind;
    private final Map<String, TimeSeries> metrics = new LinkedHashMap<>();
    private int capacity;

    NodeSeries(String name, Kind kind, int capacity) {
        this.name = name;
        this.kind = kind;
        this.capacity = capacity;
    }

    synchronized void record(long timeMicros, String metric, String unit, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        metrics.computeIfAbsent(metric, m -> new TimeSeries(m, unit, capacity)).add(timeMicros, value);
    }

    synchronized List<TimeSeries.Points> points() {
        List<TimeSeries.Points> out = new ArrayList<>(metrics.size());
        for (TimeSeries s : metrics.values()) {
            out.add(s.points());
        }
        return out;
    }

    /** Points dropped by the fullest series (all series of a node are sampled together). */
    synchronized long dropped() {
        long most = 0;
        for (TimeSeries s : metrics.values()) {
            most = Math.max(most, s.dropped());
        }
        return most;
    }

    synchronized void resize(int newCapacity) {
        capacity = newCapacity;
        metrics.values().forEach(s -> s.resize(newCapacity));
    }
}
