package org.weft.benchmarks;

import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.pluginhost.PluginOrigin;
import org.weft.plugins.resourcemonitor.PluginInstaller;
import org.weft.plugins.resourcemonitor.ProfileSettings;
import org.weft.plugins.resourcemonitor.Profiler;
import org.weft.local.LocalCluster;
import org.weft.worker.WorkerPluginFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The noop workload with and without the resource monitor's task trace and sampling: what profiling costs. */
@Command(name = "profiling", mixinStandardHelpOptions = true,
        description = "The noop workload without and with the task trace and the resource monitor (default settings: "
                + "every 100 ms), alternated in one JVM; prints both throughputs and their ratio (median of the rounds' ratios).")
final class ProfilingBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--tasks", defaultValue = "100000", description = "no-op tasks per run (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--repeats", defaultValue = "9", description = "rounds, each one run without and one with profiling (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--interval", defaultValue = "100", description = "sampling interval in ms (default ${DEFAULT-VALUE})")
    long intervalMillis;

    @Option(names = "--trace", defaultValue = "true", arity = "1", description = "record the task trace (default ${DEFAULT-VALUE})")
    boolean trace;

    @Option(names = "--monitor", defaultValue = "true", arity = "1", description = "sample resources (default ${DEFAULT-VALUE})")
    boolean monitor;

    @Option(names = "--empty-worker-plugin", description = "instead of profiling, install a worker plugin that does "
            + "nothing: what any worker plugin costs")
    boolean emptyWorkerPlugin;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Bench.header(out, "profiling", cluster, "tasks " + tasks + " per run, " + repeats
                + " rounds of one run without and one with profiling (order alternated): trace " + (trace ? "on" : "off")
                + ", monitor " + (monitor ? "on, every " + intervalMillis + " ms" : "off"));
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        double sampleUs = -1;
        List<Double> cpuOff = new ArrayList<>(); // process CPU microseconds per task
        List<Double> cpuOn = new ArrayList<>();
        List<Double> allocOff = new ArrayList<>();
        List<Double> allocOn = new ArrayList<>();
        List<Map<String, ThreadCpu.Use>> threadsOff = new ArrayList<>(); // per run, by thread group
        List<Map<String, ThreadCpu.Use>> threadsOn = new ArrayList<>();
        List<Double> jitOff = new ArrayList<>(); // JIT compilation ms around each run: recompiling after a plugin set changed
        List<Double> jitOn = new ArrayList<>();
        List<Double> unlistedOff = new ArrayList<>(); // process CPU beyond the Java threads (GC, JIT, VM), us per task
        List<Double> unlistedOn = new ArrayList<>();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        try (LocalCluster c = Bench.startCluster(cluster); Client client = c.client();
                Profiler profiler = new Profiler(new ProfileSettings(trace, monitor, false, intervalMillis,
                        ProfileSettings.DEFAULT_MAX_TRACE_EVENTS, ProfileSettings.DEFAULT_MAX_SAMPLES), new ClusterInstaller(c))) {
            Bench.warmUp(c, client, cluster.warmup);
            profiler.start();
            Bench.warmUp(c, client, cluster.warmup);
            profiler.stop();
            Graph graph = Bench.noopGraph(tasks);
            for (int round = 0; round < repeats; round++) {
                double without = 0;
                double with = 0;
                for (int k = 0; k < 2; k++) {
                    boolean profiled = (round + k) % 2 == 1;
                    if (profiled && emptyWorkerPlugin) {
                        new ClusterInstaller(c).installWorkerPlugin("empty", () -> new WorkerPlugin() { });
                    } else if (profiled) {
                        profiler.start();
                    }
                    long jit0 = jitTimed ? jit.getTotalCompilationTime() : 0;
                    Bench.Timing t = Bench.timeRunWithCpu(c, client, graph, cluster.timeoutSeconds);
                    (profiled ? jitOn : jitOff).add((double) (jitTimed ? jit.getTotalCompilationTime() - jit0 : -1));
                    (profiled ? unlistedOn : unlistedOff).add(t.cpuSeconds() * 1e6 / tasks
                            - t.threads().values().stream().mapToLong(ThreadCpu.Use::cpuNanos).sum() / 1e3 / tasks);
                    double rate = tasks / t.seconds();
                    (profiled ? cpuOn : cpuOff).add(t.cpuSeconds() * 1e6 / tasks);
                    (profiled ? allocOn : allocOff).add((double) ThreadCpu.allocatedBytes(t.threads()) / tasks);
                    (profiled ? threadsOn : threadsOff).add(t.threads());
                    if (profiled && emptyWorkerPlugin) {
                        c.removeWorkerPlugin("empty").join();
                        with = rate;
                    } else if (profiled) {
                        profiler.stop();
                        with = rate;
                    } else {
                        without = rate;
                    }
                }
                off.add(without);
                on.add(with);
                ratios.add(with / without);
                Bench.comment(out, String.format(Locale.ROOT, "round %d: %.0f tasks/s without, %.0f with profiling (%.3f)",
                        round + 1, without, with, with / without));
            }
            profiler.status().forEach(line -> Bench.comment(out, "last profiled run: " + line));
            threadComments(out, "without profiling", threadsOff);
            threadComments(out, "with profiling", threadsOn);
            Bench.comment(out, String.format(Locale.ROOT, "CPU us per task beyond the Java threads (GC, JIT, VM; the "
                    + "process's 10 ms steps), without / with profiling (median): %.2f / %.2f; JIT compilation ms around "
                    + "each run: %.0f / %.0f", Bench.median(unlistedOff), Bench.median(unlistedOn), Bench.median(jitOff),
                    Bench.median(jitOn)));
            if (monitor) {
                profiler.start();
                List<Double> sampleMicros = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    long t0 = System.nanoTime();
                    profiler.sample();
                    sampleMicros.add((System.nanoTime() - t0) / 1e3);
                }
                profiler.stop();
                sampleUs = Bench.median(sampleMicros);
            }
        }
        Bench.figure(out, "tasks_per_s_without_profiling", Bench.median(off));
        Bench.figure(out, "tasks_per_s_with_profiling", Bench.median(on));
        Bench.fraction(out, "profiling_throughput_ratio", Bench.median(ratios));
        // the same comparison in process CPU per task: less sensitive to other work on the machine
        double c0 = Bench.median(cpuOff);
        double c1 = Bench.median(cpuOn);
        if (c0 > 0) {
            Bench.fraction(out, "cpu_us_per_task_without_profiling", c0);
            Bench.fraction(out, "cpu_us_per_task_with_profiling", c1);
            Bench.fraction(out, "cpu_overhead_profiling", c1 / c0 - 1);
        }
        if (allocOff.stream().allMatch(a -> a >= 0) && allocOn.stream().allMatch(a -> a >= 0)) {
            // bytes allocated per task by every thread of this JVM: what the young collector has to clear
            Bench.figure(out, "alloc_bytes_per_task_without_profiling", Bench.median(allocOff));
            Bench.figure(out, "alloc_bytes_per_task_with_profiling", Bench.median(allocOn));
        }
        if (sampleUs >= 0) {
            // one sample of the process, the machine and each worker, as the sampler thread takes it every interval
            Bench.fraction(out, "monitor_sample_us", sampleUs);
        }
        return 0;
    }

    /**
     * Where the CPU and the allocation went, by thread group, as medians over the runs of one kind:
     * set beside the other kind's line, they tell which threads pay for profiling.
     */
    private void threadComments(PrintWriter out, String kind, List<Map<String, ThreadCpu.Use>> runs) {
        Map<String, List<Double>> cpu = new TreeMap<>();
        Map<String, List<Double>> alloc = new TreeMap<>();
        for (Map<String, ThreadCpu.Use> run : runs) {
            run.forEach((group, use) -> {
                cpu.computeIfAbsent(group, g -> new ArrayList<>()).add(use.cpuNanos() / 1e3 / tasks);
                alloc.computeIfAbsent(group, g -> new ArrayList<>()).add((double) use.allocatedBytes() / tasks);
            });
        }
        StringJoiner cpuLine = new StringJoiner(", ");
        StringJoiner allocLine = new StringJoiner(", ");
        cpu.forEach((group, values) -> {
            double us = Bench.median(values);
            double bytes = Bench.median(alloc.get(group));
            if (us >= 0.05) {
                cpuLine.add(String.format(Locale.ROOT, "%s %.2f", group, us));
            }
            if (bytes >= 1) {
                allocLine.add(String.format(Locale.ROOT, "%s %.0f", group, bytes));
            }
        });
        Bench.comment(out, "CPU us per task by thread, " + kind + " (median): " + cpuLine);
        Bench.comment(out, "heap bytes per task by thread, " + kind + " (median): " + allocLine);
    }

    /** Installs the profiler's plugins straight on the cluster, as the OSGi runtime does through services. */
    private static final class ClusterInstaller implements PluginInstaller {
        private final LocalCluster cluster;
        private final List<String> schedulerPlugins = new ArrayList<>();

        ClusterInstaller(LocalCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void installWorkerPlugin(String name, Supplier<WorkerPlugin> perWorker) {
            cluster.addWorkerPlugin(new WorkerPluginFactory() {
                @Override
                public PluginOptions options() {
                    return PluginOptions.named(name);
                }

                @Override
                public PluginOrigin origin() {
                    return PluginOrigin.CODE;
                }

                @Override
                public WorkerPlugin create() {
                    return perWorker.get();
                }
            }).join();
        }

        @Override
        public void installSchedulerPlugin(String name, SchedulerPlugin plugin) {
            cluster.scheduler().addPlugin(plugin, PluginOptions.named(name), PluginOrigin.CODE).join();
            schedulerPlugins.add(name);
        }

        @Override
        public void uninstall(String name) {
            cluster.removeWorkerPlugin(name).join();
            if (schedulerPlugins.remove(name)) {
                cluster.scheduler().removePlugin(name).join();
            }
        }
    }
}
