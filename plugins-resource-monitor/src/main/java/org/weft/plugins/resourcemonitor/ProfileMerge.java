package org.weft.plugins.resourcemonitor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One recording of the whole cluster from the scheduler's and each worker process's: every worker
 * keeps its own track (a process in the trace, named with the process it ran in), a worker
 * process's own samples (CPU, memory, ...) join its worker's, and what a worker process could not
 * give is said in the sources. Times are epoch microseconds in every process, so they line up (as
 * well as the machines' clocks agree).
 */
final class ProfileMerge {

    /** What one worker process answered: its recording, or why there is none. */
    record Part(String worker, ProfileData data, String problem) {
    }

    private ProfileMerge() {
    }

    static ProfileData merge(ProfileData local, List<Part> parts) {
        List<ProfileData.Worker> workers = new ArrayList<>(local.workers());
        List<ProfileData.Node> nodes = new ArrayList<>(local.nodes());
        List<String> sources = new ArrayList<>(local.sources());
        long started = local.startedMicros();
        long end = local.endMicros();
        boolean running = local.running();
        for (Part part : parts) {
            ProfileData d = part.data();
            if (d == null) {
                sources.add("worker " + part.worker() + ": " + part.problem());
                continue;
            }
            started = Math.min(started, d.startedMicros());
            end = Math.max(end, d.endMicros());
            running |= d.running();
            for (ProfileData.Worker w : d.workers()) {
                workers.add(new ProfileData.Worker(w.address(), w.nthreads(), w.spans(), w.dropped(), d.processName()));
            }
            nodes.addAll(asWorkerNodes(part.worker(), d));
            for (String s : d.sources()) {
                sources.add("worker " + part.worker() + ": " + s);
            }
        }
        workers.sort(Comparator.comparing(ProfileData.Worker::address, ProfileData::naturalOrder));
        nodes.sort(Comparator.comparing((ProfileData.Node n) -> n.kind()).thenComparing(ProfileData.Node::name,
                ProfileData::naturalOrder));
        return new ProfileData(started, end, running, local.settings(), local.processName(), workers, nodes,
                local.schedulerMarks(), local.droppedMarks(), sources);
    }

    /**
     * A worker process's nodes under its worker's name: its process samples and its worker's
     * counters are one node, so the trace draws them on the worker's track.
     */
    private static List<ProfileData.Node> asWorkerNodes(String worker, ProfileData d) {
        Map<String, List<TimeSeries.Points>> series = new LinkedHashMap<>();
        Map<String, Long> dropped = new LinkedHashMap<>();
        for (ProfileData.Node n : d.nodes()) {
            String name = n.kind() == NodeSeries.Kind.PROCESS ? worker : n.name();
            series.computeIfAbsent(name, k -> new ArrayList<>()).addAll(n.series());
            dropped.merge(name, n.dropped(), Math::max);
        }
        List<ProfileData.Node> out = new ArrayList<>();
        series.forEach((name, points) -> out.add(new ProfileData.Node(name, NodeSeries.Kind.WORKER, points,
                dropped.get(name))));
        return out;
    }
}
