package org.weft.benchmarks;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.scheduler.core.cluster.LocalCluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The noop workload at growing sizes: does the cost per task hold as the graph grows? Each round
 * runs every size once, smallest first; the figures are per-size medians over the rounds, and the
 * flatness figures compare each size's CPU per task (and time per task) with the smallest size's,
 * all measured in the same JVM.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "The noop workload at 10k, 100k and 1M tasks, --repeats rounds of all sizes in one JVM (the largest "
                + "only if the heap allows and it finishes within --large-timeout). Prints per size tasks_per_s_<N> and "
                + "cpu_us_per_task_<N> (medians over the rounds), then cpu_cost_ratio_<N> and time_cost_ratio_<N>: that "
                + "size's CPU (wall-clock) time per task over the smallest size's; 1.0 is flat.")
final class ScaleBenchmark implements Callable<Integer> {

    /** Rough heap a million queued no-op tasks need (client, scheduler and worker state, graph). */
    private static final long BYTES_PER_TASK_ESTIMATE = 2_500;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--sizes", split = ",", defaultValue = "10000,100000,1000000",
            description = "task counts, comma-separated, smallest first (default ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--repeats", defaultValue = "3",
            description = "rounds; each runs every size once (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--warmup-rounds", defaultValue = "1",
            description = "rounds of all sizes run first and discarded (default ${DEFAULT-VALUE}): the first large run in a "
                    + "fresh JVM also pays the kernel for heap pages never touched before, which a long-running scheduler has paid")
    int warmupRounds;

    @Option(names = "--large", defaultValue = "1000000",
            description = "sizes from this one up are tried only if the heap allows, within --large-timeout (default ${DEFAULT-VALUE})")
    int large;

    @Option(names = "--large-timeout", defaultValue = "60", description = "seconds a large size may take (default ${DEFAULT-VALUE})")
    long largeTimeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Bench.header(out, "scale", cluster,
                "noop tasks at sizes " + sizes + ", one compute(Graph) each, " + repeats + " round(s) of all sizes after "
                        + warmupRounds + " discarded, warm-up " + cluster.warmup + " tasks; sizes >= " + large + " only within "
                        + largeTimeout + " s");
        List<Integer> runnable = new ArrayList<>();
        for (int n : sizes) {
            long need = n * BYTES_PER_TASK_ESTIMATE;
            long max = Runtime.getRuntime().maxMemory();
            if (n >= large && max < need) {
                Bench.comment(out, String.format(Locale.ROOT, "tasks_per_s_%d: skipped, heap max %d MiB < ~%d MiB estimated",
                        n, max >> 20, need >> 20));
            } else {
                runnable.add(n);
            }
        }
        Map<Integer, List<Bench.Timing>> timings = new LinkedHashMap<>();
        Map<Integer, Graph> graphs = new LinkedHashMap<>();
        for (int n : runnable) {
            timings.put(n, new ArrayList<>());
            graphs.put(n, Bench.noopGraph(n));
        }
        try (LocalCluster c = Bench.startCluster(cluster); Client client = c.client()) {
            Bench.warmUp(c, client, cluster.warmup);
            rounds:
            for (int round = 1 - warmupRounds; round <= repeats; round++) {
                for (int n : runnable) {
                    boolean isLarge = n >= large;
                    try {
                        Bench.Timing t = Bench.timeRunWithCpu(c, client, graphs.get(n),
                                isLarge ? largeTimeout : cluster.timeoutSeconds);
                        Bench.comment(out, String.format(Locale.ROOT, "%s, %d tasks: %.0f tasks/s, %.3f s, %.2f us CPU per task",
                                round < 1 ? "discarded round" : "round " + round, n, n / t.seconds(), t.seconds(),
                                t.cpuSeconds() * 1e6 / n));
                        if (round >= 1) {
                            timings.get(n).add(t);
                        }
                    } catch (Bench.RunFailed e) {
                        if (!isLarge) {
                            throw e;
                        }
                        Bench.comment(out, "tasks_per_s_" + n + ": not completed: " + e.getMessage());
                        timings.remove(n);
                        break rounds; // the cluster is left busy; closing it ends the run
                    }
                }
            }
        }
        printFigures(out, timings);
        return 0;
    }

    private static void printFigures(PrintWriter out, Map<Integer, List<Bench.Timing>> timings) {
        double baseCpu = -1;
        double baseTime = -1;
        for (Map.Entry<Integer, List<Bench.Timing>> e : timings.entrySet()) {
            int n = e.getKey();
            List<Double> rates = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (Bench.Timing t : e.getValue()) {
                rates.add(n / t.seconds());
                cpu.add(t.cpuSeconds() * 1e6 / n);
            }
            double rate = Bench.median(rates);
            double cpuPerTask = Bench.median(cpu);
            Bench.figure(out, "tasks_per_s_" + n, rate);
            Bench.fraction(out, "cpu_us_per_task_" + n, cpuPerTask);
            if (baseCpu < 0) {
                baseCpu = cpuPerTask;
                baseTime = 1 / rate;
            } else {
                Bench.fraction(out, "cpu_cost_ratio_" + n, cpuPerTask / baseCpu);
                Bench.fraction(out, "time_cost_ratio_" + n, (1 / rate) / baseTime);
            }
        }
    }
}
