package org.weft.benchmarks;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.weft.client.Client;
import org.weft.client.Progress;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;
import org.weft.protocol.StoryEntry;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The cluster in separate processes: a scheduler and its workers started from the built
 * distribution ({@code bin/weft scheduler}, {@code bin/weft worker}) on loopback, the client in this
 * JVM over TCP. The same no-op and tree workloads as {@code noop} and {@code tree}, a large result
 * moved from one worker to another against plain Netty moving the same bytes, and the cluster's
 * start-up time.
 */
@Command(name = "remote", mixinStandardHelpOptions = true,
        description = "A scheduler and workers as bin/weft processes of the built distribution (mvn -B -q package "
                + "-pl distribution,benchmarks -am -DskipTests), the client in this JVM over TCP: cluster_start_s, "
                + "remote_noop_tasks_per_s_<N>, remote_tree_tasks_per_s, transfer_ratio (a result moved worker to worker "
                + "over a plain Netty copy of the same bytes).")
final class RemoteBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workers", defaultValue = "2", description = "worker processes (default ${DEFAULT-VALUE}); the transfer needs 2")
    int workers;

    @Option(names = "--threads", defaultValue = "1", description = "executor threads per worker (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--tasks", defaultValue = "10000,100000", split = ",",
            description = "no-op graph sizes, each timed as noop times it (default ${DEFAULT-VALUE}; 0: none)")
    List<Integer> tasks;

    @Option(names = "--leaves", defaultValue = "10000", description = "leaves of the tree reduction (default ${DEFAULT-VALUE}; 0: none)")
    int leaves;

    @Option(names = "--repeats", defaultValue = "3",
            description = "timed runs per no-op size and of the tree; figures are their median (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--warmup", defaultValue = "200000",
            description = "no-op tasks run untimed first, in graphs of 10 000, and a tree of half as many leaves "
                    + "(default ${DEFAULT-VALUE}, as noop and tree; 0: none)")
    int warmup;

    @Option(names = "--transfer-mb", defaultValue = "64", description = "MiB of the byte[] result moved between workers (default ${DEFAULT-VALUE}; 0: none)")
    int transferMb;

    @Option(names = "--transfer-rounds", defaultValue = "3",
            description = "timed rounds of the transfer and the Netty copy, alternating, after one untimed round (default ${DEFAULT-VALUE})")
    int transferRounds;

    @Option(names = "--start-repeats", defaultValue = "3",
            description = "clusters started one after the other for cluster_start_s (their median); the last runs the workloads "
                    + "(default ${DEFAULT-VALUE})")
    int startRepeats;

    @Option(names = "--port", defaultValue = "0",
            description = "the scheduler's port: 0 for any free one, the workers started once it printed its address; "
                    + "a free port N starts the workers at the same time, given tcp://127.0.0.1:N (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--weft-home", description = "the distribution to run (default: distribution/target/weft beside benchmarks/)")
    Path weftHome;

    @Option(names = "--process-java-opts", description = "JAVA_OPTS for the scheduler and worker processes (default: none, bin/weft's own flags)")
    String processJavaOpts;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds a single timed run may take (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    /** What was measured, in seconds, for {@link #printFigures}. */
    record Results(List<Double> startSeconds, List<Double> schedulerSeconds, Map<Integer, List<Double>> noopSeconds,
            int treeTasks, List<Double> treeSeconds, int transferBytes, List<Double> transferSeconds,
            List<Double> flightSeconds, List<Double> nettySeconds) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port must be 0 (any free one) or a TCP port");
        }
        if (startRepeats < 1 || repeats < 1 || transferRounds < 1 || workers < 1 || threads < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--start-repeats, --repeats, --transfer-rounds, --workers and --threads must be at least 1");
        }
        Path home = weftHome != null ? weftHome : ProcessCluster.defaultHome();
        ProcessCluster.launcher(home); // before anything runs
        Bench.header(out, "remote", workers, threads, "scheduler and " + workers + " worker processes of " + home
                + " on loopback, the client in this JVM; no-op sizes " + tasks + ", tree of " + leaves + " leaves, median of "
                + repeats + " runs, warm-up " + warmup + " no-op tasks; transfer " + transferMb + " MiB worker to worker, "
                + transferRounds + " rounds beside a Netty copy; " + startRepeats + " cluster starts, "
                + (port > 0 ? "every process at once (port " + port + ")" : "the workers once the scheduler listens") + "; process JAVA_OPTS "
                + (processJavaOpts == null ? "none" : "'" + processJavaOpts + "'"));
        Path logs = Files.createTempDirectory("weft-bench-remote-");
        Bench.comment(out, "process output in " + logs);
        ProcessCluster.Settings settings = new ProcessCluster.Settings(home, workers, threads, processJavaOpts, Duration.ofSeconds(120), port);
        List<Double> starts = new ArrayList<>();
        List<Double> schedulerStarts = new ArrayList<>();
        ProcessCluster cluster = null;
        try {
            for (int i = 1; i <= startRepeats; i++) {
                if (cluster != null) {
                    cluster.close();
                }
                cluster = ProcessCluster.start(settings, Files.createDirectories(logs.resolve("start-" + i)));
                starts.add(cluster.startSeconds());
                schedulerStarts.add(cluster.schedulerSeconds());
                Bench.comment(out, String.format(Locale.ROOT, "start %d: scheduler at its address %.3f s, every worker joined %.3f s "
                        + "(process ids %s)", i, cluster.schedulerSeconds(), cluster.startSeconds(), cluster.pids()));
            }
            try (Client client = Client.connect(cluster.schedulerAddress())) {
                int known = ProcessCluster.workerCount(client.identity());
                if (known != workers) {
                    throw new Bench.RunFailed("the scheduler knows " + known + " workers, started " + workers);
                }
                Results r = measure(out, client, cluster, starts, schedulerStarts);
                printFigures(out, r);
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        return 0;
    }

    private Results measure(PrintWriter out, Client client, ProcessCluster cluster, List<Double> starts, List<Double> schedulerStarts) {
        Runnable awaitEmpty = () -> ProcessCluster.awaitEmpty(client, 120);
        Bench.warmUp(awaitEmpty, client, warmup);
        Map<Integer, List<Double>> noop = new LinkedHashMap<>();
        for (int n : tasks) {
            if (n <= 0) {
                continue;
            }
            org.weft.client.Graph graph = Bench.noopGraph(n);
            List<Double> secs = new ArrayList<>();
            for (int i = 1; i <= repeats; i++) {
                long cpu0 = cluster.cpuNanos();
                long faults0 = cluster.minorFaults();
                Bench.Timing t = Bench.timeRunWithCpu(awaitEmpty, client, graph, timeoutSeconds);
                long cpu1 = cluster.cpuNanos();
                secs.add(t.seconds());
                runComment(out, "noop " + n, i, n, t, cpu0, cpu1, faults0, cluster.minorFaults());
            }
            noop.put(n, secs);
        }
        int treeTasks = 0;
        List<Double> tree = new ArrayList<>();
        if (leaves > 0) {
            Bench.Tree graph = Bench.treeGraph(leaves);
            treeTasks = graph.tasks();
            if (warmup > 0) {
                TreeBenchmark.run(awaitEmpty, client, Bench.treeGraph(Math.max(1, warmup / 2)), 600);
            }
            for (int i = 1; i <= repeats; i++) {
                long cpu0 = cluster.cpuNanos();
                long faults0 = cluster.minorFaults();
                Bench.Timing t = TreeBenchmark.run(awaitEmpty, client, graph, timeoutSeconds);
                long cpu1 = cluster.cpuNanos();
                tree.add(t.seconds());
                runComment(out, "tree", i, graph.tasks(), t, cpu0, cpu1, faults0, cluster.minorFaults());
            }
        }
        int bytes = transferMb * 1024 * 1024;
        List<Double> transfer = new ArrayList<>();
        List<Double> flight = new ArrayList<>();
        List<Double> netty = new ArrayList<>();
        if (bytes > 0 && workers < 2) {
            Bench.comment(out, "no transfer: it needs 2 workers");
        } else if (bytes > 0) {
            transfer(out, client, cluster, bytes, transfer, flight, netty);
        }
        return new Results(starts, schedulerStarts, noop, treeTasks, tree, bytes, transfer, flight, netty);
    }

    private static void runComment(PrintWriter out, String what, int run, int n, Bench.Timing t, long clusterCpu0, long clusterCpu1,
            long faults0, long faults1) {
        String processes = clusterCpu0 < 0 || clusterCpu1 < 0 ? "n/a"
                : String.format(Locale.ROOT, "%.2f s", (clusterCpu1 - clusterCpu0) / 1e9);
        String faults = faults0 < 0 || faults1 < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", (faults1 - faults0) * 1000.0 / n);
        Bench.comment(out, String.format(Locale.ROOT, "%s, run %d: %.0f tasks/s, %.3f s; CPU of this JVM (the client) %.2f s, "
                + "of the scheduler and worker processes %s (their release after the run included); their minor page faults %s "
                + "per 1 000 tasks", what, run, n / t.seconds(), t.seconds(), t.cpuSeconds(), processes, faults));
    }

    /**
     * Rounds of: a {@code byte[]} of {@code bytes} sent with {@code identity} pinned to the first
     * worker (untimed), then {@code identity} of its result pinned to the second worker, timed from
     * its submission until it is in memory (the second worker fetched the bytes from the first);
     * then the same bytes copied by plain Netty. One untimed round first.
     */
    private void transfer(PrintWriter out, Client client, ProcessCluster cluster, int bytes, List<Double> transfer,
            List<Double> flight, List<Double> netty) {
        byte[] payload = new byte[bytes];
        new SplittableRandom(42).nextBytes(payload);
        String from = cluster.workers().get(0).address();
        String to = cluster.workers().get(1).address();
        try (NettyCopy copy = new NettyCopy(bytes)) {
            for (int round = 0; round <= transferRounds; round++) {
                String src = "transfer-src-" + round;
                String dst = "transfer-dst-" + round;
                WeftFuture made = client.submit(TaskOptions.key(src).withWorkers(from), "identity", (Object) payload);
                await(client, made, "the " + bytes + "-byte result on " + from);
                System.gc();
                long t0 = System.nanoTime();
                WeftFuture moved = client.submit(TaskOptions.key(dst).withWorkers(to), "identity", made);
                await(client, moved, "its copy on " + to);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double inFlight = flightSeconds(client.story(src), to);
                client.release(List.of(made, moved));
                ProcessCluster.awaitEmpty(client, 120);
                System.gc();
                double nettySeconds = copy.copy(payload, timeoutSeconds);
                String label = round == 0 ? "untimed round" : "round " + round;
                Bench.comment(out, String.format(Locale.ROOT, "transfer %s: worker to worker %.3f s (in flight on the receiver %s), "
                        + "Netty copy %.3f s", label, seconds, inFlight < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f s", inFlight),
                        nettySeconds));
                if (round > 0) {
                    transfer.add(seconds);
                    netty.add(nettySeconds);
                    if (inFlight >= 0) {
                        flight.add(inFlight);
                    }
                }
            }
        }
    }

    private void await(Client client, WeftFuture f, String what) {
        Progress p = client.progress(List.of(f), (done, erred, total) -> { });
        if (!p.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new Bench.RunFailed(what + " not in memory within " + timeoutSeconds + " s: " + p);
        }
        if (p.erred() > 0) {
            throw new Bench.RunFailed(what + " failed: " + f);
        }
    }

    /**
     * Seconds the receiving worker's story has the key in flight: from its {@code fetch -> flight}
     * to its {@code flight -> memory} (millisecond timestamps); -1 if the story lacks either.
     */
    static double flightSeconds(List<StoryEntry> story, String receiver) {
        long start = -1;
        long end = -1;
        for (StoryEntry e : story) {
            if (!receiver.equals(e.where())) {
                continue;
            }
            if ("fetch".equals(e.start()) && "flight".equals(e.finish())) {
                start = e.timestampMillis();
            } else if ("flight".equals(e.start()) && "memory".equals(e.finish()) && start >= 0) {
                end = e.timestampMillis();
            }
        }
        return start < 0 || end < 0 ? -1 : (end - start) / 1e3;
    }

    /**
     * The figures, each a median: cluster start-up, no-op and tree rates, the transfer and the
     * Netty copy; {@code transfer_ratio} is the median of the rounds' Netty-copy / transfer ratios
     * (1.0: as fast as plain Netty; a round's two are adjacent in time).
     */
    static void printFigures(PrintWriter out, Results r) {
        if (!r.startSeconds().isEmpty()) {
            Bench.seconds(out, "cluster_start_s", Bench.median(r.startSeconds()));
            Bench.seconds(out, "scheduler_start_s", Bench.median(r.schedulerSeconds()));
        }
        r.noopSeconds().forEach((n, secs) -> {
            List<Double> rates = secs.stream().map(s -> n / s).toList();
            Bench.figure(out, "remote_noop_tasks_per_s_" + n, Bench.median(rates));
            Bench.seconds(out, "remote_noop_elapsed_s_" + n, Bench.median(secs));
        });
        if (!r.treeSeconds().isEmpty()) {
            List<Double> rates = r.treeSeconds().stream().map(s -> r.treeTasks() / s).toList();
            Bench.figure(out, "remote_tree_tasks_per_s", Bench.median(rates));
            Bench.seconds(out, "remote_tree_elapsed_s", Bench.median(r.treeSeconds()));
            Bench.figure(out, "remote_tree_tasks", r.treeTasks());
        }
        if (!r.transferSeconds().isEmpty()) {
            Bench.figure(out, "transfer_bytes", r.transferBytes());
            Bench.seconds(out, "remote_transfer_s", Bench.median(r.transferSeconds()));
            if (!r.flightSeconds().isEmpty()) {
                Bench.seconds(out, "remote_transfer_in_flight_s", Bench.median(r.flightSeconds()));
            }
            Bench.seconds(out, "netty_copy_s", Bench.median(r.nettySeconds()));
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < r.transferSeconds().size(); i++) {
                ratios.add(r.nettySeconds().get(i) / r.transferSeconds().get(i));
            }
            Bench.fraction(out, "transfer_ratio", Bench.median(ratios));
        }
    }
}
