package org.weft.benchmarks;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.local.LocalCluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** N independent no-op tasks in one graph: the scheduler's raw per-task overhead. */
@Command(name = "noop", mixinStandardHelpOptions = true,
        description = "N independent no-op tasks submitted in one compute(Graph); prints tasks_per_s.")
final class NoopBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--tasks", defaultValue = "100000", description = "no-op tasks (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--repeats", defaultValue = "3",
            description = "timed runs in this JVM after the warm-up; the figures are their median (default ${DEFAULT-VALUE})")
    int repeats;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Bench.header(out, "noop", cluster,
                "tasks " + tasks + ", one compute(Graph), all keys wanted, warm-up " + cluster.warmup + " tasks, median of " + repeats + " runs");
        try (LocalCluster c = Bench.startCluster(cluster); Client client = c.client()) {
            Bench.warmUp(c, client, cluster.warmup);
            Graph graph = Bench.noopGraph(tasks);
            List<Bench.Timing> runs = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                Bench.Timing t = Bench.timeRunWithCpu(c, client, graph, cluster.timeoutSeconds);
                Bench.runComment(out, i + 1, tasks, t);
                Bench.threadComment(out, tasks, t);
                runs.add(t);
            }
            Bench.medianFigures(out, "", tasks, runs);
        }
        return 0;
    }
}
