package org.weft.plugins.resourcemonitor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.weft.plugin.api.MetricsSource;

/**
 * A copy of one recording, what the trace and report writers read.
 *
 * @param startedMicros when the recording started, epoch microseconds
 * @param endMicros when it stopped, or now if it is still running
 * @param running whether it is still running
 * @param settings what it recorded
 * @param processName this process, {@code host pid N}
 * @param workers each worker's spans, by address
 * @param nodes each node's sampled series (the process first, then workers)
 * @param schedulerMarks scheduler transitions, if recorded
 * @param droppedMarks scheduler transitions dropped
 * @param sources one line per extra metrics source (e.g. the GPU's state)
 */
record ProfileData(long startedMicros, long endMicros, boolean running, ProfileSettings settings, String processName,
        List<Worker> workers, List<Node> nodes, List<SchedulerTracePlugin.SchedulerMark> schedulerMarks,
        long droppedMarks, List<String> sources) {

    /**
     * One worker's trace.
     *
     * @param process the worker process it ran in ({@code host pid N}), or {@code null} for a worker
     *        in the recording process itself
     */
    record Worker(String address, int nthreads, List<TaskSpan> spans, long dropped, String process) {
    }

    /** One node's samples. */
    record Node(String name, NodeSeries.Kind kind, List<TimeSeries.Points> series, long dropped) {
    }

    static ProfileData of(Profiler.Recording r, String processName, List<MetricsSource> readers) {
        List<Worker> workers = new ArrayList<>();
        for (WorkerTrack t : r.workers.values()) {
            workers.add(new Worker(t.address, t.nthreads, t.spans.snapshot(), t.spans.dropped(), null));
        }
        workers.sort(Comparator.comparing(Worker::address, ProfileData::naturalOrder));
        List<Node> nodes = new ArrayList<>();
        for (NodeSeries n : r.nodes.values()) {
            nodes.add(new Node(n.name, n.kind, n.points(), n.dropped()));
        }
        nodes.sort(Comparator.comparing((Node n) -> n.kind()).thenComparing(Node::name, ProfileData::naturalOrder));
        List<String> sources = new ArrayList<>();
        for (MetricsSource reader : readers) {
            sources.add(reader.name() + ": " + reader.describe());
        }
        long stopped = r.stoppedMicros;
        return new ProfileData(r.startedMicros, stopped < 0 ? TraceClock.nowMicros() : stopped, stopped < 0, r.settings,
                processName, workers, nodes, r.scheduler.snapshot(),
                r.settings.schedulerTransitions() ? r.scheduler.dropped() : 0, sources);
    }

    long durationMicros() {
        return endMicros - startedMicros;
    }

    long spanCount() {
        return workers.stream().mapToLong(w -> w.spans().size()).sum();
    }

    long droppedSpans() {
        return workers.stream().mapToLong(Worker::dropped).sum();
    }

    long sampleCount() {
        return nodes.stream().filter(n -> n.kind() == NodeSeries.Kind.PROCESS)
                .mapToLong(n -> n.series().stream().mapToLong(s -> s.times().length).max().orElse(0)).sum();
    }

    long droppedSamples() {
        return nodes.stream().mapToLong(Node::dropped).sum();
    }

    /** {@code worker-2} before {@code worker-10}. */
    static int naturalOrder(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int ei = i;
                int ej = j;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                int c = Long.compare(Long.parseLong(a.substring(i, Math.min(ei, i + 18))),
                        Long.parseLong(b.substring(j, Math.min(ej, j + 18))));
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
