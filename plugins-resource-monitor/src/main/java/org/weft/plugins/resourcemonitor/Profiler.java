package org.weft.plugins.resourcemonitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.MetricsSource;
import org.weft.plugin.api.ProcessSamples;

/**
 * One recording at a time of this process: the task trace of every worker (through
 * {@link TaskTracePlugin}), scheduler transitions if asked, and resource samples taken every
 * interval on a thread of its own (dasf's {@code ResourceMonitor}: {@link #start}, {@link #stop}).
 * Each {@link #start} begins a new recording; {@link #snapshot} reads the current or last one.
 * Thread-safe.
 */
public final class Profiler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Profiler.class);

    private final PluginInstaller installer;
    private final List<MetricsSource> readers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weft-resource-monitor");
        t.setDaemon(true);
        return t;
    });
    private final String processName = ProcessName.describe();
    private volatile ProfileSettings settings;
    private volatile ResourceProbe probe;
    private volatile Recording recording;
    private ScheduledFuture<?> sampling;
    /** This process's figures of the latest sample while recording, else null. */
    private volatile ProcessSamples.Sample latest;

    /** What one {@link #start} gathers. */
    static final class Recording {
        final long startedMicros = TraceClock.nowMicros();
        volatile long stoppedMicros = -1;
        final ProfileSettings settings;
        final Map<String, WorkerTrack> workers = new ConcurrentHashMap<>();
        final Map<String, NodeSeries> nodes = new ConcurrentHashMap<>();
        final BoundedRing<SchedulerTracePlugin.SchedulerMark> scheduler;

        Recording(ProfileSettings settings) {
            this.settings = settings;
            this.scheduler = new BoundedRing<>(settings.schedulerTransitions() ? settings.maxTraceEvents() : 1);
        }

        NodeSeries node(String name, NodeSeries.Kind kind) {
            return nodes.computeIfAbsent(name, n -> new NodeSeries(n, kind, settings.maxSamples()));
        }
    }

    public Profiler(ProfileSettings settings, PluginInstaller installer) {
        this.settings = settings;
        this.installer = installer;
    }

    private ResourceProbe probe() {
        ResourceProbe p = probe;
        if (p == null) {
            synchronized (this) {
                if (probe == null) {
                    probe = new ResourceProbe();
                }
                p = probe;
            }
        }
        return p;
    }

    void addReader(MetricsSource reader) {
        readers.add(reader);
    }

    void removeReader(MetricsSource reader) {
        readers.remove(reader);
    }

    List<MetricsSource> readers() {
        return List.copyOf(readers);
    }

    /** Starts a new recording; returns false if one is running already. */
    public synchronized boolean start() {
        if (recording != null && recording.stoppedMicros < 0) {
            return false;
        }
        ProfileSettings s = settings;
        recording = new Recording(s);
        if (s.trace()) {
            installer.installWorkerPlugin(TaskTracePlugin.NAME, () -> new TaskTracePlugin(this));
        }
        if (s.schedulerTransitions()) {
            installer.installSchedulerPlugin(SchedulerTracePlugin.NAME, new SchedulerTracePlugin(this));
        }
        if (s.monitor()) {
            startSampling(s.intervalMillis());
        }
        LOG.info("profiling started: trace {}, monitor {} every {} ms, scheduler transitions {}",
                s.trace() ? "on" : "off", s.monitor() ? "on" : "off", s.intervalMillis(),
                s.schedulerTransitions() ? "on" : "off");
        return true;
    }

    /** Stops the running recording (kept for {@link #snapshot}); returns false if none was running. */
    public synchronized boolean stop() {
        Recording r = recording;
        if (r == null || r.stoppedMicros >= 0) {
            return false;
        }
        stopSampling();
        latest = null;
        installer.uninstall(TaskTracePlugin.NAME);
        installer.uninstall(SchedulerTracePlugin.NAME);
        r.stoppedMicros = TraceClock.nowMicros();
        LOG.info("profiling stopped");
        return true;
    }

    public boolean running() {
        Recording r = recording;
        return r != null && r.stoppedMicros < 0;
    }

    /**
     * New settings: the interval and the bounds apply at once to a running recording (a worker's
     * bound on spans with its next span); whether the
     * trace, the monitor and scheduler transitions are recorded applies from the next start.
     */
    public synchronized void apply(ProfileSettings next) {
        ProfileSettings before = settings;
        settings = next;
        Recording r = recording;
        if (r == null || r.stoppedMicros >= 0) {
            return;
        }
        if (next.intervalMillis() != before.intervalMillis() && sampling != null) {
            stopSampling();
            startSampling(next.intervalMillis());
        }
        if (next.maxTraceEvents() != before.maxTraceEvents()) {
            r.workers.values().forEach(w -> w.spans.resize(next.maxTraceEvents()));
        }
        if (next.maxSamples() != before.maxSamples()) {
            r.nodes.values().forEach(n -> n.resize(next.maxSamples()));
        }
    }

    public ProfileSettings settings() {
        return settings;
    }

    private void startSampling(long intervalMillis) {
        sampling = sampler.scheduleAtFixedRate(this::sampleSafely, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void stopSampling() {
        if (sampling != null) {
            sampling.cancel(false);
            sampling = null;
        }
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("a resource sample failed; the monitor goes on", e);
        }
    }

    /** Takes one sample of every node now, if recording (the sampler thread calls it every interval). */
    public void sample() {
        Recording r = recording;
        if (r == null || r.stoppedMicros >= 0) {
            return;
        }
        ResourceProbe p = probe();
        long now = TraceClock.nowMicros();
        NodeSeries process = r.node(processName, NodeSeries.Kind.PROCESS);
        MetricsSource.Gauges sink = (metric, unit, value) -> process.record(now, metric, unit, value);
        LatestSample own = new LatestSample();
        synchronized (p) { // the probe reads into buffers it keeps; a caller beside the sampler thread waits
            p.read((metric, unit, value) -> {
                own.note(metric, value);
                sink.gauge(metric, unit, value);
            });
        }
        latest = own.sample();
        for (MetricsSource reader : readers) {
            try {
                reader.read(sink);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("metrics source '{}' failed; it is left out of this sample", reader.name(), e);
            }
        }
        for (WorkerTrack w : r.workers.values()) {
            NodeSeries node = r.node(w.address, NodeSeries.Kind.WORKER);
            node.record(now, "tasks executing", "count", w.executing());
            node.record(now, "results held", "bytes", w.bytesHeld());
        }
    }

    /**
     * This process's CPU and memory as the latest sample found them, while a recording samples
     * resources; null otherwise (not recording, the monitor off, no sample yet).
     */
    ProcessSamples.Sample latest() {
        ProcessSamples.Sample s = latest;
        return running() ? s : null;
    }

    /**
     * This process's CPU and memory among the gauges of one sample, for {@link #latest()}. (Not a
     * {@code Gauges} itself: implementing that provider interface would tie this bundle to one
     * minor version of the API.)
     */
    private static final class LatestSample {
        private double cpuPercent = -1;
        private double rss = -1;
        private double heap = -1;

        void note(String name, double value) {
            switch (name) {
                case ResourceProbe.CPU_PROCESS -> cpuPercent = value;
                case ResourceProbe.RSS -> rss = value;
                case ResourceProbe.HEAP_USED -> heap = value;
                default -> { }
            }
        }

        ProcessSamples.Sample sample() {
            return new ProcessSamples.Sample(System.currentTimeMillis(), cpuPercent < 0 ? -1 : cpuPercent / 100.0,
                    (long) rss, (long) heap);
        }
    }

    /** The track of a worker in the running recording (made on first use); called from a worker plugin's setup. */
    WorkerTrack workerTrack(String address, int nthreads) {
        Recording r = recording;
        ProfileSettings s = r == null ? settings : r.settings;
        if (r == null) {
            return new WorkerTrack(address, nthreads, 1); // a late plugin after close: records into nothing kept
        }
        return r.workers.computeIfAbsent(address, a -> new WorkerTrack(a, nthreads, s.maxTraceEvents()));
    }

    void schedulerTransition(SchedulerTracePlugin.SchedulerMark mark) {
        Recording r = recording;
        if (r != null) {
            r.scheduler.add(mark);
        }
    }

    /** The current or last recording, or {@code null} if none was ever started. */
    ProfileData snapshot() {
        Recording r = recording;
        return r == null ? null : ProfileData.of(r, processName, readers);
    }

    /** Status lines for {@code weft:profile status}. */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        Recording r = recording;
        ProfileSettings s = settings;
        if (r == null) {
            lines.add("profiling: stopped (nothing recorded yet)");
        } else {
            ProfileData d = snapshot();
            lines.add("profiling: " + (r.stoppedMicros < 0 ? "recording" : "stopped") + ", "
                    + String.format(java.util.Locale.ROOT, "%.1f s", d.durationMicros() / 1e6) + " recorded");
            lines.add("trace: " + (r.settings.trace() ? d.spanCount() + " task phases on " + d.workers().size()
                    + " worker(s), " + d.droppedSpans() + " dropped (at most " + r.settings.maxTraceEvents()
                    + " per worker)" : "off"));
            if (r.settings.schedulerTransitions()) {
                lines.add("scheduler transitions: " + d.schedulerMarks().size() + ", " + d.droppedMarks() + " dropped");
            }
            lines.add("monitor: " + (r.settings.monitor() ? d.sampleCount() + " samples on " + d.nodes().size()
                    + " node(s) every " + s.intervalMillis() + " ms, " + d.droppedSamples() + " dropped" : "off"));
        }
        ResourceProbe p = probe;
        if (p != null && !p.machineFigures()) {
            lines.add("machine figures: unavailable (OSHI could not start; JVM figures only)");
        }
        for (MetricsSource reader : readers) {
            lines.add(reader.name() + ": " + reader.describe());
        }
        return lines;
    }

    /** Writes the current or last recording as trace-event JSON; false if nothing was recorded yet. */
    public boolean writeTrace(java.nio.file.Path file) throws java.io.IOException {
        ProfileData d = snapshot();
        if (d == null) {
            return false;
        }
        TraceWriter.write(d, file);
        return true;
    }

    /** Writes the current or last recording as a self-contained HTML report; false if nothing was recorded yet. */
    public boolean writeReport(java.nio.file.Path file) throws java.io.IOException {
        ProfileData d = snapshot();
        if (d == null) {
            return false;
        }
        ReportWriter.write(d, file);
        return true;
    }

    @Override
    public synchronized void close() {
        stop();
        sampler.shutdownNow();
        ResourceProbe p = probe;
        if (p != null) {
            synchronized (p) { // not while a sample reads its files
                p.close();
            }
        }
    }
}
