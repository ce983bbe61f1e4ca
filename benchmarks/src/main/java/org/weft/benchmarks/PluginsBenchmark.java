package org.weft.benchmarks;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.plugin.api.PluginOptions;
import org.weft.local.LocalCluster;
import org.weft.pluginhost.PluginOrigin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The noop workload with 0, 1 and 10 no-op synchronous scheduler plugins: the cost of the hook path. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "The noop workload with 0, 1 and 10 no-op synchronous scheduler plugins, order alternated, "
                + "median of --repeats runs each; prints throughputs and the fraction lost.")
final class PluginsBenchmark implements Callable<Integer> {

    private static final int[] CONFIGS = {0, 1, 10};

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--tasks", defaultValue = "100000", description = "no-op tasks per run (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--repeats", defaultValue = "25",
            description = "rounds, each running every configuration once (default ${DEFAULT-VALUE}; with fewer, one run's "
                    + "medians are noisy on a small VM)")
    int repeats;

    @Option(names = "--warmup-rounds", defaultValue = "1",
            description = "untimed rounds of all three configurations at full size before measuring (default ${DEFAULT-VALUE})")
    int warmupRounds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Bench.header(out, "plugins", cluster,
                "tasks " + tasks + " per run, 0/1/10 no-op sync plugins, " + repeats
                        + " runs each in alternating order, median; warm-up " + cluster.warmup + " tasks with 0 and with 10 plugins, then "
                        + warmupRounds + " discarded round(s) of all three");
        Map<Integer, List<Double>> rates = new LinkedHashMap<>();
        Map<Integer, List<Double>> cpuPerTask = new LinkedHashMap<>(); // process CPU microseconds per task
        for (int k : CONFIGS) {
            rates.put(k, new ArrayList<>());
            cpuPerTask.put(k, new ArrayList<>());
        }
        long perTask = -1;
        int cores = Runtime.getRuntime().availableProcessors();
        try (LocalCluster c = Bench.startCluster(cluster); Client client = c.client()) {
            Bench.warmUp(c, client, cluster.warmup);
            List<NoopPlugin> warm = install(c, 10);
            Bench.warmUp(c, client, cluster.warmup);
            uninstall(c, warm);

            Graph graph = Bench.noopGraph(tasks);
            for (int round = 0; round < warmupRounds; round++) {
                for (int k : CONFIGS) {
                    List<NoopPlugin> plugins = install(c, k);
                    Bench.timeRun(c, client, graph, cluster.timeoutSeconds);
                    uninstall(c, plugins);
                }
            }
            for (int round = 0; round < repeats; round++) {
                for (int i = 0; i < CONFIGS.length; i++) {
                    int k = CONFIGS[round % 2 == 0 ? i : CONFIGS.length - 1 - i];
                    List<NoopPlugin> plugins = install(c, k);
                    Bench.Timing t = Bench.timeRunWithCpu(c, client, graph, cluster.timeoutSeconds);
                    double s = t.seconds();
                    uninstall(c, plugins);
                    rates.get(k).add(tasks / s);
                    cpuPerTask.get(k).add(t.cpuSeconds() * 1e6 / tasks);
                    if (k > 0) {
                        perTask = plugins.get(0).calls() / tasks;
                    }
                    Bench.comment(out, String.format(Locale.ROOT, "round %d, %d plugin(s): %.0f tasks/s (process CPU %.0f%% of %d cores)",
                            round + 1, k, tasks / s, 100 * t.cpuSeconds() / (s * cores), cores));
                    Bench.threadComment(out, tasks, t);
                }
            }
        }
        if (perTask >= 0) {
            Bench.comment(out, "each plugin's transition() was called " + perTask + " times per task");
        }
        double r0 = Bench.median(rates.get(0));
        double r1 = Bench.median(rates.get(1));
        double r10 = Bench.median(rates.get(10));
        Bench.figure(out, "tasks_per_s_0_plugins", r0);
        Bench.figure(out, "tasks_per_s_1_plugin", r1);
        Bench.figure(out, "tasks_per_s_10_plugins", r10);
        // Paired: each round runs 0, 1 and 10 plugins back to back, so the ratio within a round is
        // little affected by load that drifts over the minutes of a run; the figure is their median.
        Bench.fraction(out, "overhead_1_plugin", 1 - Bench.median(ratios(rates.get(1), rates.get(0))));
        Bench.fraction(out, "overhead_10_plugins", 1 - Bench.median(ratios(rates.get(10), rates.get(0))));
        Bench.fraction(out, "overhead_1_plugin_of_medians", 1 - r1 / r0);
        Bench.fraction(out, "overhead_10_plugins_of_medians", 1 - r10 / r0);
        // The same comparison in process CPU per task: less sensitive to other work on the machine.
        double c0 = Bench.median(cpuPerTask.get(0));
        double c1 = Bench.median(cpuPerTask.get(1));
        double c10 = Bench.median(cpuPerTask.get(10));
        if (c0 > 0) {
            Bench.fraction(out, "cpu_us_per_task_0_plugins", c0);
            Bench.fraction(out, "cpu_us_per_task_1_plugin", c1);
            Bench.fraction(out, "cpu_us_per_task_10_plugins", c10);
            Bench.fraction(out, "cpu_overhead_1_plugin", c1 / c0 - 1);
            Bench.fraction(out, "cpu_overhead_10_plugins", c10 / c0 - 1);
        }
        return 0;
    }

    /** {@code a[i] / b[i]} for each round i. */
    private static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i) / b.get(i));
        }
        return out;
    }

    private static List<NoopPlugin> install(LocalCluster c, int k) {
        List<NoopPlugin> plugins = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            NoopPlugin p = new NoopPlugin();
            c.scheduler().addPlugin(p, PluginOptions.named("bench-noop-" + i), PluginOrigin.CODE).join();
            plugins.add(p);
        }
        return plugins;
    }

    private static void uninstall(LocalCluster c, List<NoopPlugin> plugins) {
        for (int i = 0; i < plugins.size(); i++) {
            c.scheduler().removePlugin("bench-noop-" + i).join();
        }
    }
}
