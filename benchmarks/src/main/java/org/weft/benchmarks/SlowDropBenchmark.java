package org.weft.benchmarks;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;

import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.plugin.api.Delivery;
import org.weft.plugin.api.Overflow;
import org.weft.plugin.api.PluginOptions;
import org.weft.local.LocalCluster;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.PluginStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The noop workload without plugins and with one slow asynchronous plugin in {@link Overflow#DROP}
 * mode: what dropping the events a plugin cannot keep up with costs the scheduler.
 */
@Command(name = "slow-drop", mixinStandardHelpOptions = true,
        description = "The noop workload with no plugin and with one asynchronous DROP-mode plugin that takes "
                + "--plugin-millis per event (so its queue is full and most events are dropped), order alternated, "
                + "median of --repeats runs each; prints both throughputs and their ratio.")
final class SlowDropBenchmark implements Callable<Integer> {

    private static final String NAME = "bench-slow-drop";

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--tasks", defaultValue = "100000", description = "no-op tasks per run (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--repeats", defaultValue = "15", description = "rounds, each running both configurations once "
            + "(default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--plugin-millis", defaultValue = "5",
            description = "how long the plugin takes per event, waiting (default ${DEFAULT-VALUE})")
    long pluginMillis;

    @Option(names = "--queue", defaultValue = "" + Delivery.DEFAULT_QUEUE_CAPACITY,
            description = "the plugin's queue capacity (default ${DEFAULT-VALUE})")
    int queueCapacity;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Bench.header(out, "slow-drop", cluster, "tasks " + tasks + " per run, no plugin vs one async DROP plugin taking "
                + pluginMillis + " ms per event (queue " + queueCapacity + "), " + repeats
                + " runs each in alternating order, median");
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        List<Double> cpuWithout = new ArrayList<>(); // CPU microseconds per task of every thread but the plugin's
        List<Double> cpuWith = new ArrayList<>();
        List<Double> allocWithout = new ArrayList<>(); // heap bytes per task of every thread but the plugin's
        List<Double> allocWith = new ArrayList<>();
        long dropped = 0;
        long delivered = 0;
        try (LocalCluster c = Bench.startCluster(cluster); Client client = c.client()) {
            Bench.warmUp(c, client, cluster.warmup);
            Graph graph = Bench.noopGraph(tasks);
            for (int round = 0; round < repeats; round++) {
                for (int i = 0; i < 2; i++) {
                    boolean slow = (round % 2 == 0) == (i == 1);
                    SlowPlugin plugin = slow ? install(c) : null;
                    Bench.Timing t = Bench.timeRunWithCpu(c, client, graph, cluster.timeoutSeconds);
                    double s = t.seconds();
                    (slow ? with : without).add(tasks / s);
                    (slow ? cpuWith : cpuWithout).add(outsidePlugin(t, ThreadCpu.Use::cpuNanos) / 1e3 / tasks);
                    (slow ? allocWith : allocWithout).add(outsidePlugin(t, ThreadCpu.Use::allocatedBytes) / tasks);
                    if (slow) {
                        PluginStatus status = status(c);
                        plugin.hurry(); // its queue's last events go through at once: removal waits for them
                        c.scheduler().removePlugin(NAME).join();
                        dropped += status.dropped();
                        delivered += plugin.calls();
                    }
                    Bench.comment(out, String.format(Locale.ROOT, "round %d, %s: %.0f tasks/s", round + 1,
                            slow ? "slow async DROP plugin" : "no plugin", tasks / s));
                    Bench.threadComment(out, tasks, t);
                }
            }
        }
        double r0 = Bench.median(without);
        double r1 = Bench.median(with);
        Bench.comment(out, String.format(Locale.ROOT, "the plugin got %d event(s) and dropped %d over all runs",
                delivered, dropped));
        Bench.figure(out, "tasks_per_s_no_plugin", r0);
        Bench.figure(out, "tasks_per_s_slow_drop_plugin", r1);
        // paired: the ratio within each round (both runs back to back), then its median
        List<Double> ratios = new ArrayList<>(with.size());
        for (int i = 0; i < with.size(); i++) {
            ratios.add(with.get(i) / without.get(i));
        }
        Bench.fraction(out, "ratio_slow_drop_plugin", Bench.median(ratios));
        // the same in CPU per task of the threads the scheduler and workers run on (the plugin's own
        // thread left out): what dropping costs them, little affected by other work on the machine
        double c0 = Bench.median(cpuWithout);
        double c1 = Bench.median(cpuWith);
        if (c0 > 0) {
            Bench.fraction(out, "thread_cpu_us_per_task_no_plugin", c0);
            Bench.fraction(out, "thread_cpu_us_per_task_slow_drop_plugin", c1);
            Bench.fraction(out, "thread_cpu_overhead_slow_drop_plugin", c1 / c0 - 1);
        }
        double a0 = Bench.median(allocWithout);
        if (a0 > 0) {
            Bench.figure(out, "alloc_bytes_per_task_no_plugin", a0);
            Bench.figure(out, "alloc_bytes_per_task_slow_drop_plugin", Bench.median(allocWith));
        }
        return 0;
    }

    /** A figure summed over the run's threads but the plugin's own ({@code weft-plugin-...}). */
    private static double outsidePlugin(Bench.Timing t, ToLongFunction<ThreadCpu.Use> figure) {
        long sum = 0;
        for (Map.Entry<String, ThreadCpu.Use> e : t.threads().entrySet()) {
            if (!e.getKey().startsWith("weft-plugin-")) {
                sum += figure.applyAsLong(e.getValue());
            }
        }
        return sum;
    }

    private SlowPlugin install(LocalCluster c) {
        SlowPlugin plugin = new SlowPlugin(pluginMillis);
        c.scheduler().addPlugin(plugin, PluginOptions.named(NAME).delivery(Delivery.async(queueCapacity, Overflow.DROP)),
                PluginOrigin.CODE).join();
        return plugin;
    }

    private static PluginStatus status(LocalCluster c) {
        return c.scheduler().pluginStatus().join().stream().filter(s -> s.name().equals(NAME)).findFirst().orElseThrow();
    }
}
