package org.weft.plugins.resourcemonitor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Writes a recording as Chrome/Perfetto trace-event JSON ({@code {"traceEvents": [...]}}), which
 * {@code ui.perfetto.dev} and {@code chrome://tracing} open as it is. Layout:
 * <ul>
 *   <li>pid 1, this process: a counter track per sampled metric ({@code ph:"C"}), and, if
 *       recorded, scheduler transitions as instant events on tid 1;</li>
 *   <li>pid 2, 3, …: one per worker, in address order: a thread per lane with each task's
 *       {@code executing} and {@code long-running} phases as complete events ({@code ph:"X"}, named
 *       by key, {@code cat} the key prefix), waiting and fetching as async spans
 *       ({@code ph:"b"/"e"}), and the worker's counters;</li>
 *   <li>names as metadata events ({@code process_name}, {@code thread_name}); what was dropped
 *       and the settings under {@code otherData.weft}.</li>
 * </ul>
 * Times are epoch microseconds, so files of separate processes line up.
 */
final class TraceWriter {

    static final int PROCESS_PID = 1;
    static final int SCHEDULER_TID = 1;
    /** Version of the {@code otherData.weft} block. */
    static final int FORMAT = 1;

    private TraceWriter() {
    }

    static void write(ProfileData data, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            write(data, out);
        }
    }

    static void write(ProfileData data, Writer out) throws IOException {
        Events ev = new Events(out);
        out.write("{\"traceEvents\":[\n");
        ev.meta(PROCESS_PID, 0, "process_name", "weft " + data.processName());
        ev.meta(PROCESS_PID, 0, "process_sort_index", null);
        if (!data.schedulerMarks().isEmpty()) {
            ev.meta(PROCESS_PID, SCHEDULER_TID, "thread_name", "scheduler transitions");
            for (SchedulerTracePlugin.SchedulerMark m : data.schedulerMarks()) {
                ev.begin("i", m.start() + " → " + m.finish(), "scheduler", PROCESS_PID, SCHEDULER_TID, m.timeMicros());
                out.write(",\"s\":\"t\",\"args\":{\"key\":");
                Json.string(out, m.key());
                if (m.worker() != null) {
                    out.write(",\"worker\":");
                    Json.string(out, m.worker());
                }
                out.write("}}");
            }
        }
        int pid = PROCESS_PID + 1;
        java.util.Map<String, Integer> workerPids = new java.util.HashMap<>();
        for (ProfileData.Worker w : data.workers()) {
            workerPids.put(w.address(), pid);
            ev.meta(pid, 0, "process_name", "worker " + w.address() + (w.process() == null ? "" : " (" + w.process() + ")"));
            ev.meta(pid, 0, "process_sort_index", null);
            writeWorker(ev, out, w, pid);
            pid++;
        }
        for (ProfileData.Node n : data.nodes()) {
            Integer nodePid = n.kind() == NodeSeries.Kind.PROCESS ? Integer.valueOf(PROCESS_PID) : workerPids.get(n.name());
            if (nodePid == null) {
                nodePid = pid;
                ev.meta(pid, 0, "process_name", "worker " + n.name());
                pid++;
            }
            for (TimeSeries.Points s : n.series()) {
                for (int i = 0; i < s.times().length; i++) {
                    ev.begin("C", s.name(), "resources", nodePid, 0, s.times()[i]);
                    out.write(",\"args\":{");
                    Json.string(out, s.unit());
                    out.write(':');
                    out.write(Json.number(s.values()[i]));
                    out.write("}}");
                }
            }
        }
        out.write("\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{\"weft\":{");
        out.write("\"format\":" + FORMAT);
        out.write(",\"process\":");
        Json.string(out, data.processName());
        out.write(",\"startedMicros\":" + data.startedMicros() + ",\"endMicros\":" + data.endMicros());
        out.write(",\"running\":" + data.running());
        out.write(",\"intervalMillis\":" + data.settings().intervalMillis());
        out.write(",\"maxTraceEventsPerWorker\":" + data.settings().maxTraceEvents());
        out.write(",\"maxSamplesPerMetric\":" + data.settings().maxSamples());
        out.write(",\"taskPhases\":" + data.spanCount());
        out.write(",\"droppedTaskPhases\":" + data.droppedSpans());
        out.write(",\"droppedSamples\":" + data.droppedSamples());
        out.write(",\"droppedSchedulerTransitions\":" + data.droppedMarks());
        out.write(",\"sources\":[");
        for (int i = 0; i < data.sources().size(); i++) {
            out.write(i == 0 ? "" : ",");
            Json.string(out, data.sources().get(i));
        }
        out.write("]}}}\n");
    }

    private static void writeWorker(Events ev, Writer out, ProfileData.Worker w, int pid) throws IOException {
        BitSet lanes = new BitSet();
        long asyncId = 0;
        for (TaskSpan s : w.spans()) {
            if (s.phase().onThread()) {
                lanes.set(s.lane());
                ev.begin("X", s.key(), KeyPrefix.of(s.key()), pid, s.lane() + 1, s.startMicros());
                out.write(",\"dur\":" + s.durationMicros());
                spanArgs(out, s, w.address(), "thread " + (s.lane() + 1));
                out.write('}');
            } else {
                asyncId++;
                ev.begin("b", s.phase().label, s.phase().name().toLowerCase(java.util.Locale.ROOT), pid, 0, s.startMicros());
                out.write(",\"id\":" + asyncId);
                spanArgs(out, s, w.address(), null);
                out.write('}');
                ev.begin("e", s.phase().label, s.phase().name().toLowerCase(java.util.Locale.ROOT), pid, 0,
                        s.startMicros() + s.durationMicros());
                out.write(",\"id\":" + asyncId + "}");
            }
        }
        for (int lane = lanes.nextSetBit(0); lane >= 0; lane = lanes.nextSetBit(lane + 1)) {
            ev.meta(pid, lane + 1, "thread_name", "thread " + (lane + 1));
        }
        if (w.dropped() > 0) {
            ev.meta(pid, 0, "process_labels", w.dropped() + " older task phases dropped");
        }
    }

    private static void spanArgs(Writer out, TaskSpan s, String worker, String thread) throws IOException {
        out.write(",\"args\":{\"key\":");
        Json.string(out, s.key());
        out.write(",\"prefix\":");
        Json.string(out, KeyPrefix.of(s.key()));
        out.write(",\"phase\":");
        Json.string(out, s.phase().label);
        out.write(",\"worker\":");
        Json.string(out, worker);
        if (thread != null) {
            out.write(",\"thread\":");
            Json.string(out, thread);
        }
        if (s.nbytes() >= 0) {
            out.write(",\"nbytes\":" + s.nbytes());
        }
        if (s.error() != null) {
            out.write(",\"error\":");
            Json.string(out, s.error());
        }
        out.write('}');
    }

    /** Writes event openings, with the comma between events. */
    private static final class Events {
        private final Writer out;
        private boolean first = true;

        Events(Writer out) {
            this.out = out;
        }

        /** {@code {"ph":..,"name":..,"cat":..,"pid":..,"tid":..,"ts":..} without the closing brace. */
        void begin(String ph, String name, String cat, int pid, int tid, long ts) throws IOException {
            out.write(first ? "" : ",\n");
            first = false;
            out.write("{\"ph\":\"" + ph + "\",\"name\":");
            Json.string(out, name);
            out.write(",\"cat\":");
            Json.string(out, cat);
            out.write(",\"pid\":" + pid + ",\"tid\":" + tid + ",\"ts\":" + ts);
        }

        void meta(int pid, int tid, String what, String name) throws IOException {
            out.write(first ? "" : ",\n");
            first = false;
            out.write("{\"ph\":\"M\",\"name\":\"" + what + "\",\"pid\":" + pid + ",\"tid\":" + tid + ",\"args\":{");
            if ("process_sort_index".equals(what)) {
                out.write("\"sort_index\":" + pid);
            } else if ("process_labels".equals(what)) {
                out.write("\"labels\":");
                Json.string(out, name);
            } else {
                out.write("\"name\":");
                Json.string(out, name);
            }
            out.write("}}");
        }
    }
}
