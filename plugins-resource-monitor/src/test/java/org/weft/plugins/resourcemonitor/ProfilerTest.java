package org.weft.plugins.resourcemonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.weft.plugin.api.MetricsSource;
import org.weft.plugin.api.ProcessSamples;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerPlugin;

/** The monitor's start, stop, sampling, status and live settings, without a cluster. */
class ProfilerTest {

    /** Remembers what is installed now. */
    static final class InstalledNames implements PluginInstaller {
        final Set<String> names = ConcurrentHashMap.newKeySet();

        @Override
        public void installWorkerPlugin(String name, Supplier<WorkerPlugin> perWorker) {
            names.add(name);
        }

        @Override
        public void installSchedulerPlugin(String name, SchedulerPlugin plugin) {
            names.add(name);
        }

        @Override
        public void uninstall(String name) {
            names.remove(name);
        }
    }

    private static long points(Profiler p, String metric) {
        return p.snapshot().nodes().stream().flatMap(n -> n.series().stream()).filter(s -> s.name().equals(metric))
                .mapToLong(s -> s.times().length).sum();
    }

    @Test
    void offersThisProcesssLatestCpuAndMemoryOnlyWhileRecording() {
        try (Profiler p = new Profiler(ProfileSettings.DEFAULTS.withIntervalMillis(10), new InstalledNames())) {
            assertNull(p.latest(), "nothing before a recording");
            assertTrue(p.start());
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> p.latest() != null && p.latest().cpuCores() >= 0);
            ProcessSamples.Sample s = p.latest();
            assertTrue(s.residentBytes() > 1024 * 1024, "resident memory of this JVM: " + s);
            assertTrue(s.heapUsedBytes() > 0, s.toString());
            assertTrue(s.timeMillis() > 0 && s.timeMillis() <= System.currentTimeMillis(), s.toString());
            assertTrue(p.stop());
            assertNull(p.latest(), "stopped: nothing current");
        }
    }

    @Test
    void samplesEveryIntervalWhileRecordingAndNothingOnceStopped() {
        InstalledNames installed = new InstalledNames();
        try (Profiler p = new Profiler(ProfileSettings.DEFAULTS.withIntervalMillis(10), installed)) {
            assertEquals(List.of("profiling: stopped (nothing recorded yet)"), p.status().subList(0, 1));
            assertTrue(p.start());
            assertEquals(Set.of(TaskTracePlugin.NAME), installed.names, "the trace plugin, not the scheduler one (off)");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> points(p, ResourceProbe.CPU_PROCESS) >= 5);
            // OSHI starts on its own thread and adds the system's CPU and memory when ready
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> points(p, ResourceProbe.CPU_SYSTEM) >= 1);
            for (String metric : List.of(ResourceProbe.HEAP_USED, ResourceProbe.THREADS, ResourceProbe.RSS,
                    ResourceProbe.SYSTEM_MEMORY_USED, ResourceProbe.CPU_SYSTEM, ResourceProbe.OPEN_FILES,
                    ResourceProbe.GC_TIME)) {
                assertTrue(points(p, metric) >= 1, metric + " sampled");
            }
            List<String> status = p.status();
            assertTrue(status.get(0).startsWith("profiling: recording"), status.toString());
            assertTrue(status.stream().anyMatch(l -> l.startsWith("monitor: ") && l.contains("every 10 ms")), status.toString());

            assertTrue(p.stop());
            assertFalse(p.stop(), "stopping twice says so");
            assertTrue(installed.names.isEmpty(), "a stopped profiler leaves no plugin installed");
            long held = points(p, ResourceProbe.HEAP_USED);
            p.sample();
            assertEquals(held, points(p, ResourceProbe.HEAP_USED), "no sample once stopped");
            assertTrue(p.status().get(0).startsWith("profiling: stopped,"), p.status().toString());
        }
    }

    @Test
    void anotherSourcesGaugesAreSampledWithTheProcessAndItsLineIsInTheStatus() {
        try (Profiler p = new Profiler(ProfileSettings.DEFAULTS.withIntervalMillis(10_000), new InstalledNames())) {
            p.addReader(new MetricsSource() {
                @Override
                public String name() {
                    return "gpu";
                }

                @Override
                public String describe() {
                    return "1 GPU: stand-in";
                }

                @Override
                public void read(Gauges gauges) {
                    gauges.gauge("GPU 0 utilization", "%", 87);
                }
            });
            p.start();
            p.sample();
            assertTrue(points(p, "GPU 0 utilization") >= 1);
            assertTrue(p.status().contains("gpu: 1 GPU: stand-in"), p.status().toString());
            assertTrue(p.snapshot().sources().contains("gpu: 1 GPU: stand-in"));
        }
    }

    @Test
    void newBoundsApplyToTheRunningRecordingAndEachStartBeginsAnew() {
        try (Profiler p = new Profiler(ProfileSettings.DEFAULTS.withIntervalMillis(10_000), new InstalledNames())) {
            p.start();
            // the sampler thread's first sample (at once, then none for 10 s), before these twenty
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> points(p, ResourceProbe.HEAP_USED) == 1);
            for (int i = 0; i < 20; i++) {
                p.sample();
            }
            assertEquals(21, points(p, ResourceProbe.HEAP_USED), "the first scheduled sample and twenty more");
            p.apply(new ProfileSettings(true, true, false, 10_000, 1000, 5));
            assertEquals(5, points(p, ResourceProbe.HEAP_USED), "the newest five kept");
            assertTrue(p.snapshot().droppedSamples() >= 16);
            p.stop();
            p.start();
            assertTrue(points(p, ResourceProbe.HEAP_USED) <= 1, "a new recording");
        }
    }
}
