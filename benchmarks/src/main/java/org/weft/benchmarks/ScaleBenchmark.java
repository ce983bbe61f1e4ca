package org.weft.benchmarks;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.weft.client.Client;
import org.weft.scheduler.core.cluster.LocalCluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The noop workload at growing sizes: does throughput hold as the graph grows? */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "The noop workload at 10k, 100k and 1M tasks (the largest only if the heap allows and it finishes "
                + "within --large-timeout); prints tasks_per_s_<N> per size.")
final class ScaleBenchmark implements Callable<Integer> {

    /** Rough heap a million queued no-op tasks need (client, scheduler and worker state, graph). */
    private static final long BYTES_PER_TASK_ESTIMATE = 2_500;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--sizes", split = ",", defaultValue = "10000,100000,1000000",
            description = "task counts, comma-separated (default ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--large", defaultValue = "1000000",
            description = "sizes from this one up are tried only if the heap allows, within --large-timeout (default ${DEFAULT-VALUE})")
    int large;

    @Option(names = "--large-timeout", defaultValue = "60", description = "seconds a large size may take (default ${DEFAULT-VALUE})")
    long largeTimeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Bench.header(out, "scale", cluster,
                "noop tasks at sizes " + sizes + ", one compute(Graph) each, warm-up " + cluster.warmup
                        + " tasks; sizes >= " + large + " only within " + largeTimeout + " s");
        try (LocalCluster c = Bench.startCluster(cluster); Client client = c.client()) {
            Bench.warmUp(c, client, cluster.warmup);
            for (int n : sizes) {
                String name = "tasks_per_s_" + n;
                boolean isLarge = n >= large;
                if (isLarge) {
                    long need = n * BYTES_PER_TASK_ESTIMATE;
                    long max = Runtime.getRuntime().maxMemory();
                    if (max < need) {
                        Bench.comment(out, String.format(Locale.ROOT, "%s: skipped, heap max %d MiB < ~%d MiB estimated",
                                name, max >> 20, need >> 20));
                        continue;
                    }
                }
                try {
                    Bench.Timing t = Bench.timeRunWithCpu(c, client, Bench.noopGraph(n), isLarge ? largeTimeout : cluster.timeoutSeconds);
                    Bench.cpuComment(out, t);
                    Bench.figure(out, name, n / t.seconds());
                } catch (Bench.RunFailed e) {
                    if (!isLarge) {
                        throw e;
                    }
                    Bench.comment(out, name + ": not completed: " + e.getMessage());
                    return 0; // the cluster is left busy; closing it ends the run
                }
            }
        }
        return 0;
    }
}
