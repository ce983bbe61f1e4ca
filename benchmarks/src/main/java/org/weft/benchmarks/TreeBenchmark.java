package org.weft.benchmarks;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.weft.client.Client;
import org.weft.client.Progress;
import org.weft.client.WeftFuture;
import org.weft.local.LocalCluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** A tree reduction: dependencies, data moving between workers, intermediates released on the way. */
@Command(name = "tree", mixinStandardHelpOptions = true,
        description = "N inc leaves reduced pairwise with add up to one root (only the root wanted); prints tasks_per_s over all tasks.")
final class TreeBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--leaves", defaultValue = "100000", description = "leaves (default ${DEFAULT-VALUE}); the tree has 2N-1 tasks")
    int leaves;

    @Option(names = "--repeats", defaultValue = "3",
            description = "timed runs in this JVM after the warm-up; the figures are their median (default ${DEFAULT-VALUE})")
    int repeats;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Bench.Tree tree = Bench.treeGraph(leaves);
        Bench.header(out, "tree", cluster,
                "leaves " + leaves + ", fan-in 2, " + tree.tasks() + " tasks, only the root wanted, warm-up "
                        + cluster.warmup + " no-op tasks + a tree of " + Math.max(1, cluster.warmup / 2) + " leaves, median of " + repeats + " runs");
        try (LocalCluster c = Bench.startCluster(cluster); Client client = c.client()) {
            Bench.warmUp(c, client, cluster.warmup);
            if (cluster.warmup > 0) {
                run(c, client, Bench.treeGraph(Math.max(1, cluster.warmup / 2)), 600);
            }
            List<Bench.Timing> runs = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                Bench.Timing t = run(c, client, tree, cluster.timeoutSeconds);
                Bench.runComment(out, i + 1, tree.tasks(), t);
                Bench.threadComment(out, tree.tasks(), t);
                runs.add(t);
            }
            Bench.medianFigures(out, "", tree.tasks(), runs);
            Bench.figure(out, "tasks", tree.tasks());
        }
        return 0;
    }

    /** Times submit .. root in memory; checks the root's value, then releases it. */
    private static Bench.Timing run(LocalCluster c, Client client, Bench.Tree tree, long timeoutSeconds) {
        return run(() -> Bench.awaitEmpty(c, 120), client, tree, timeoutSeconds);
    }

    /** {@link #run(LocalCluster, Client, Bench.Tree, long)} for any cluster ({@code awaitEmpty}: see {@link Bench#timeRunWithCpu(Runnable, Client, org.weft.client.Graph, long)}). */
    static Bench.Timing run(Runnable awaitEmpty, Client client, Bench.Tree tree, long timeoutSeconds) {
        System.gc(); // outside the timed part, as in Bench.timeRun
        ThreadCpu threads = ThreadCpu.start();
        long cpu0 = Bench.processCpuNanos();
        long t0 = System.nanoTime();
        Map<String, WeftFuture> futures = client.compute(tree.graph());
        Progress progress = client.progress(futures.values(), (done, erred, total) -> { });
        boolean complete = progress.await(timeoutSeconds, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        long cpu1 = Bench.processCpuNanos();
        Map<String, ThreadCpu.Use> perThread = threads.stop();
        if (!complete) {
            throw new Bench.RunFailed("tree not done within " + timeoutSeconds + " s");
        }
        WeftFuture root = futures.get(tree.root());
        List<Object> value = client.gather(List.of(root), timeoutSeconds, TimeUnit.SECONDS);
        if (!(value.get(0) instanceof Number n) || n.longValue() != tree.expected()) {
            throw new Bench.RunFailed("tree root is " + value.get(0) + ", expected " + tree.expected());
        }
        client.release(futures.values());
        awaitEmpty.run();
        return new Bench.Timing((t1 - t0) / 1e9, cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) / 1e9, perThread);
    }
}
