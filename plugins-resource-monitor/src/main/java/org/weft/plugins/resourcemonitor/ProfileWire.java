package org.weft.plugins.resourcemonitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording as a value that crosses processes (maps, lists, strings and numbers): how a worker
 * process hands its recording to the scheduler's, which merges it into one trace and report
 * ({@link ProfileMerge}). Spans and samples travel as columns, not as a map each. Scheduler
 * transitions are not carried (a worker process records none).
 */
final class ProfileWire {

    /** Version of this form. */
    static final int FORMAT = 1;

    private ProfileWire() {
    }

    static Map<String, Object> toWire(ProfileData d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("process", d.processName());
        m.put("startedMicros", d.startedMicros());
        m.put("endMicros", d.endMicros());
        m.put("running", d.running());
        ProfileSettings s = d.settings();
        m.put("settings", Map.of("trace", s.trace(), "monitor", s.monitor(), "schedulerTransitions", s.schedulerTransitions(),
                "intervalMillis", s.intervalMillis(), "maxTraceEvents", s.maxTraceEvents(), "maxSamples", s.maxSamples()));
        List<Object> workers = new ArrayList<>();
        for (ProfileData.Worker w : d.workers()) {
            workers.add(worker(w));
        }
        m.put("workers", workers);
        List<Object> nodes = new ArrayList<>();
        for (ProfileData.Node n : d.nodes()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("name", n.name());
            node.put("kind", n.kind().name());
            node.put("dropped", n.dropped());
            List<Object> series = new ArrayList<>();
            for (TimeSeries.Points p : n.series()) {
                List<Long> times = new ArrayList<>(p.times().length);
                List<Double> values = new ArrayList<>(p.values().length);
                for (int i = 0; i < p.times().length; i++) {
                    times.add(p.times()[i]);
                    values.add(p.values()[i]);
                }
                series.add(Map.of("name", p.name(), "unit", p.unit(), "times", times, "values", values));
            }
            node.put("series", series);
            nodes.add(node);
        }
        m.put("nodes", nodes);
        m.put("sources", List.copyOf(d.sources()));
        return m;
    }

    private static Map<String, Object> worker(ProfileData.Worker w) {
        int n = w.spans().size();
        List<String> keys = new ArrayList<>(n);
        List<Integer> phases = new ArrayList<>(n);
        List<Integer> lanes = new ArrayList<>(n);
        List<Long> starts = new ArrayList<>(n);
        List<Long> durations = new ArrayList<>(n);
        List<Long> sizes = new ArrayList<>(n);
        List<String> errors = new ArrayList<>(n);
        for (TaskSpan s : w.spans()) {
            keys.add(s.key());
            phases.add(s.phase().ordinal());
            lanes.add(s.lane());
            starts.add(s.startMicros());
            durations.add(s.durationMicros());
            sizes.add(s.nbytes());
            errors.add(s.error());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", w.address());
        m.put("nthreads", w.nthreads());
        m.put("dropped", w.dropped());
        m.put("keys", keys);
        m.put("phases", phases);
        m.put("lanes", lanes);
        m.put("starts", starts);
        m.put("durations", durations);
        m.put("sizes", sizes);
        m.put("errors", errors);
        return m;
    }

    /**
     * The recording {@link #toWire} wrote.
     *
     * @throws IllegalArgumentException if {@code value} is not such a recording
     */
    static ProfileData fromWire(Object value) {
        if (!(value instanceof Map<?, ?> m) || !(m.get("format") instanceof Number f) || f.intValue() != FORMAT) {
            throw new IllegalArgumentException("not a recording of format " + FORMAT + ": "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        Map<?, ?> s = map(m.get("settings"));
        ProfileSettings settings = new ProfileSettings(bool(s.get("trace")), bool(s.get("monitor")),
                bool(s.get("schedulerTransitions")), num(s.get("intervalMillis")), (int) num(s.get("maxTraceEvents")),
                (int) num(s.get("maxSamples")));
        List<ProfileData.Worker> workers = new ArrayList<>();
        for (Object o : list(m.get("workers"))) {
            workers.add(worker(map(o)));
        }
        List<ProfileData.Node> nodes = new ArrayList<>();
        for (Object o : list(m.get("nodes"))) {
            Map<?, ?> n = map(o);
            List<TimeSeries.Points> series = new ArrayList<>();
            for (Object p : list(n.get("series"))) {
                Map<?, ?> pm = map(p);
                List<?> times = list(pm.get("times"));
                List<?> values = list(pm.get("values"));
                long[] t = new long[times.size()];
                double[] v = new double[t.length];
                for (int i = 0; i < t.length; i++) {
                    t[i] = num(times.get(i));
                    v[i] = ((Number) values.get(i)).doubleValue();
                }
                series.add(new TimeSeries.Points(str(pm.get("name")), str(pm.get("unit")), t, v));
            }
            nodes.add(new ProfileData.Node(str(n.get("name")), NodeSeries.Kind.valueOf(str(n.get("kind"))), series,
                    num(n.get("dropped"))));
        }
        List<String> sources = new ArrayList<>();
        for (Object o : list(m.get("sources"))) {
            sources.add(str(o));
        }
        return new ProfileData(num(m.get("startedMicros")), num(m.get("endMicros")), bool(m.get("running")), settings,
                str(m.get("process")), workers, nodes, List.of(), 0, sources);
    }

    private static ProfileData.Worker worker(Map<?, ?> m) {
        List<?> keys = list(m.get("keys"));
        List<?> phases = list(m.get("phases"));
        List<?> lanes = list(m.get("lanes"));
        List<?> starts = list(m.get("starts"));
        List<?> durations = list(m.get("durations"));
        List<?> sizes = list(m.get("sizes"));
        List<?> errors = list(m.get("errors"));
        TaskSpan.Phase[] all = TaskSpan.Phase.values();
        List<TaskSpan> spans = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            spans.add(new TaskSpan(str(keys.get(i)), all[(int) num(phases.get(i))], (int) num(lanes.get(i)),
                    num(starts.get(i)), num(durations.get(i)), num(sizes.get(i)), str(errors.get(i))));
        }
        return new ProfileData.Worker(str(m.get("address")), (int) num(m.get("nthreads")), spans, num(m.get("dropped")),
                null);
    }

    private static Map<?, ?> map(Object o) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException("a recording's part is not a map: " + o);
    }

    private static List<?> list(Object o) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("a recording's part is not a list: " + o);
    }

    private static long num(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("a recording's number is not a number: " + o);
    }

    private static boolean bool(Object o) {
        return Boolean.TRUE.equals(o);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
