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
import org.weft.local.LocalCluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Does the cost per task hold as graphs grow? The same number of no-op tasks (the largest size)
 * runs at every size, as graphs of that size back to back: a million tasks as 100 graphs of 10 000,
 * as 10 of 100 000 and as one of 1 000 000. So every size pays for the garbage collections its work
 * needs: a single 10 000-task run after a full GC needs none (its garbage is collected after the
 * clock stops), while a million-task run needs several. Each round runs every size once, smallest
 * first; the figures are per-size medians over the rounds, and the ratios compare each size's CPU
 * (and wall-clock) time per task with the smallest size's in the same round (median over the
 * rounds), all in the same JVM.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "The cost per task at growing graph sizes: the largest size's worth of no-op tasks runs at each size "
                + "as graphs of that size back to back (1M tasks as 100 graphs of 10k, 10 of 100k, 1 of 1M), in "
                + "--repeats rounds of all sizes in one JVM (the largest size only if the heap allows and it finishes "
                + "within --large-timeout). Prints per size tasks_per_s_<N>, cpu_us_per_task_<N> and gc_pause_s_<N> (the "
                + "garbage collector's pauses inside the timed runs; medians over the rounds), then cpu_cost_ratio_<N> and "
                + "time_cost_ratio_<N>: that size's CPU (wall-clock) time per task over the smallest size's in the same "
                + "round, median over the rounds; 1.0 is flat; and time_cost_ratio_outside_gc_<N>, the same with each "
                + "run's GC pauses taken out of its wall-clock time.")
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
                "noop tasks at graph sizes " + sizes + ", the largest size's worth of tasks at each, " + repeats + " round(s) of all sizes after "
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
        int total = runnable.stream().mapToInt(Integer::intValue).max().orElse(0);
        Map<Integer, List<Graph>> graphs = new LinkedHashMap<>();
        for (int n : runnable) {
            timings.put(n, new ArrayList<>());
            List<Graph> batch = new ArrayList<>();
            for (int done = 0, g = 0; done < total; done += n, g++) {
                batch.add(Bench.noopGraph(Math.min(n, total - done), "noop-" + n + "-" + g + "-"));
            }
            graphs.put(n, batch);
        }
        try (LocalCluster c = Bench.startCluster(cluster); Client client = c.client()) {
            Bench.warmUp(c, client, cluster.warmup);
            rounds:
            for (int round = 1 - warmupRounds; round <= repeats; round++) {
                for (int n : runnable) {
                    boolean isLarge = n >= large;
                    try {
                        Bench.Timing t = Bench.timeStream(c, client, graphs.get(n),
                                total >= large ? largeTimeout : cluster.timeoutSeconds);
                        Bench.comment(out, String.format(Locale.ROOT, "%s, graphs of %d (%d tasks): %.0f tasks/s, %.3f s, %.2f us CPU per task, "
                                        + "%.3f s in GC pauses",
                                round < 1 ? "discarded round" : "round " + round, n, total, total / t.seconds(), t.seconds(),
                                t.cpuSeconds() * 1e6 / total, t.gcSeconds()));
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
        printFigures(out, timings, total);
        return 0;
    }

    /**
     * Per size the medians over the rounds; the ratios are the medians of the per-round ratios
     * against the smallest size (a round's runs are adjacent in time, so load that drifts between
     * rounds cancels out).
     */
    static void printFigures(PrintWriter out, Map<Integer, List<Bench.Timing>> timings, int total) {
        List<Bench.Timing> base = null;
        for (Map.Entry<Integer, List<Bench.Timing>> e : timings.entrySet()) {
            int n = e.getKey();
            List<Double> rates = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            List<Double> gc = new ArrayList<>();
            for (Bench.Timing t : e.getValue()) {
                rates.add(total / t.seconds());
                cpu.add(t.cpuSeconds() * 1e6 / total);
                gc.add(t.gcSeconds());
            }
            Bench.figure(out, "tasks_per_s_" + n, Bench.median(rates));
            Bench.fraction(out, "cpu_us_per_task_" + n, Bench.median(cpu));
            Bench.seconds(out, "gc_pause_s_" + n, Bench.median(gc));
            if (base == null) {
                base = e.getValue();
                continue;
            }
            List<Double> cpuRatios = new ArrayList<>();
            List<Double> timeRatios = new ArrayList<>();
            List<Double> outsideGcRatios = new ArrayList<>();
            for (int i = 0; i < Math.min(base.size(), e.getValue().size()); i++) {
                Bench.Timing t = e.getValue().get(i);
                Bench.Timing b = base.get(i);
                if (b.cpuSeconds() > 0 && t.cpuSeconds() >= 0) { // else below the process CPU clock's resolution
                    cpuRatios.add(t.cpuSeconds() / b.cpuSeconds());
                }
                timeRatios.add(t.seconds() / b.seconds());
                outsideGcRatios.add((t.seconds() - t.gcSeconds()) / (b.seconds() - b.gcSeconds()));
            }
            if (cpuRatios.isEmpty()) {
                Bench.comment(out, "no cpu_cost_ratio_" + n + ": the smallest size's blocks used less CPU than the JVM's "
                        + "process CPU clock resolves (10 ms steps here); give larger --sizes");
            } else {
                Bench.fraction(out, "cpu_cost_ratio_" + n, Bench.median(cpuRatios));
            }
            Bench.fraction(out, "time_cost_ratio_" + n, Bench.median(timeRatios));
            if (e.getValue().stream().allMatch(t -> t.gcSeconds() >= 0) && base.stream().allMatch(t -> t.gcSeconds() >= 0)) {
                Bench.fraction(out, "time_cost_ratio_outside_gc_" + n, Bench.median(outsideGcRatios));
            }
        }
    }
}
