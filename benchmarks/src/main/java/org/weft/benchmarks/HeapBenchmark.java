package org.weft.benchmarks;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.client.Progress;
import org.weft.client.WeftFuture;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.protocol.TaskSpec;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.state.SchedulerState;
import org.weft.worker.WorkerNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Heap held per queued task, with every task submitted before any finishes. Two figures, each the
 * growth of the used heap (after full GCs) from just before the submission to when every task is
 * in place, divided by the tasks; the structures that exist before (the cluster, the story ring,
 * the prebuilt graph) are not counted.
 *
 * <ul>
 *   <li>{@code heap_bytes_per_task}: the scheduler alone: a {@link SchedulerState} with the same
 *       workers, fed the same graph (the instructions it emits are drained and dropped, as the loop
 *       does once it has sent them).</li>
 *   <li>{@code heap_bytes_per_task_cluster}: the whole local cluster through the client, the
 *       workers' executor threads held by gate tasks so no no-op task can start: the scheduler's
 *       state, the tasks waiting on the workers, and the client's futures.</li>
 *   <li>{@code heap_bytes_per_task_finished_cluster}: the same once the gates opened and every
 *       task ran, its result held for the client (the caller's futures map included): what a
 *       big graph keeps while it is wanted, and so what a young collection during it copies.</li>
 * </ul>
 */
@Command(name = "heap", mixinStandardHelpOptions = true,
        description = "Heap per queued task with all N no-op tasks submitted before any finishes (workers held by gate tasks); "
                + "prints heap_bytes_per_task (scheduler state), heap_bytes_per_task_cluster (scheduler + workers + client) and "
                + "heap_bytes_per_task_finished_cluster (the same once every task ran, results held).")
final class HeapBenchmark implements Callable<Integer> {

    static final String GATE = "bench-gate";

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--tasks", defaultValue = "1000000", description = "no-op tasks held at once (default ${DEFAULT-VALUE})")
    int tasks;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Bench.header(out, "heap", cluster,
                "tasks " + tasks + " submitted in one graph, none finishing (executor threads held by gate tasks); used heap after full GC");
        long scheduler = schedulerOnly(cluster, tasks);
        Bench.figure(out, "heap_bytes_per_task", (double) scheduler / tasks);
        Bench.Timing gated = wholeCluster(out, cluster, tasks);
        Bench.comment(out, String.format(Locale.ROOT, "after the gates opened the %d tasks ran at %.0f tasks/s", tasks,
                tasks / gated.seconds()));
        return 0;
    }

    /** Growth of the used heap while a pure scheduler state holds {@code n} submitted tasks. */
    static long schedulerOnly(ClusterOptions cluster, int n) {
        int workers = cluster.workers;
        int threads = cluster.threads;
        SchedulerState state = new SchedulerState(cluster.config().scheduler(), null);
        state.addClient("client");
        for (int w = 0; w < workers; w++) {
            state.addWorker("inproc://worker-" + (w + 1), threads, "add-worker-" + w);
        }
        long before = usedHeapAfterGc();
        List<TaskSpec> specs = new ArrayList<>(n);
        Set<String> wanted = new LinkedHashSet<>(n * 2);
        for (int i = 0; i < n; i++) {
            String key = "noop-" + i;
            specs.add(new TaskSpec(key, "noop", List.of()));
            wanted.add(key);
        }
        state.updateGraph("client", specs, wanted, "update-graph-1");
        state.drainInstructions(); // the loop sends these and drops them
        specs = null;
        wanted = null;
        long after = usedHeapAfterGc();
        if (state.tasks().size() != n) {
            throw new Bench.RunFailed("the scheduler holds " + state.tasks().size() + " tasks, expected " + n);
        }
        Reference.reachabilityFence(state);
        return after - before;
    }

    /** Submits {@code n} no-op tasks through the client while gates hold every executor thread. */
    private static Bench.Timing wholeCluster(PrintWriter out, ClusterOptions opts, int n) {
        int gates = opts.workers * opts.threads;
        CountDownLatch started = new CountDownLatch(gates);
        CountDownLatch open = new CountDownLatch(1);
        TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
        functions.register(GATE, (args, context) -> {
            started.countDown();
            open.await();
            return null;
        });
        try (LocalCluster c = LocalCluster.start(opts.config(), functions);
                Client client = c.client()) {
            Bench.warmUp(c, client, Math.min(opts.warmup, 20_000));
            Graph.Builder g = Graph.builder();
            for (int i = 0; i < gates; i++) {
                g.task("gate-" + i, GATE);
            }
            Map<String, WeftFuture> gateFutures = client.compute(g.build());
            await(started, "the gate tasks did not all start");
            Graph graph = Bench.noopGraph(n);
            long before = usedHeapAfterGc();
            long t0 = System.nanoTime();
            Map<String, WeftFuture> futures = client.compute(graph);
            awaitQueuedOnWorkers(c, n + gates);
            long after = usedHeapAfterGc();
            Bench.figure(out, "heap_bytes_per_task_cluster", (double) (after - before) / n);
            long t1 = System.nanoTime();
            open.countDown();
            Progress progress = client.progress(futures.values(), (done, erred, total) -> { });
            if (!progress.await(opts.timeoutSeconds, TimeUnit.SECONDS) || progress.erred() > 0) {
                throw new Bench.RunFailed("the queued tasks did not all finish: " + progress);
            }
            long t2 = System.nanoTime();
            long finished = usedHeapAfterGc();
            Bench.figure(out, "heap_bytes_per_task_finished_cluster", (double) (finished - before) / n);
            Bench.comment(out, String.format(Locale.ROOT, "submitting %d tasks until all were in place (processing or queued) took %.3f s", n,
                    (t1 - t0) / 1e9));
            List<WeftFuture> all = new ArrayList<>(futures.values());
            all.addAll(gateFutures.values());
            Bench.release(c, client, all);
            return new Bench.Timing((t2 - t1) / 1e9, -1);
        }
    }

    /**
     * Waits until every task is in place: processing on a worker (and there) or queued on the
     * scheduler (root-ish tasks beyond the workers' slots wait there with the default
     * worker-saturation; with {@code inf} they are all on the workers).
     */
    private static void awaitQueuedOnWorkers(LocalCluster c, int total) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (true) {
            long[] placed = c.scheduler().query(s -> {
                long processing = 0;
                for (var w : s.workers().values()) {
                    processing += w.processingCount();
                }
                return new long[] {processing, s.queuedCount()};
            }).join();
            long onWorkers = 0;
            for (WorkerNode w : c.workers()) {
                onWorkers += w.query(s -> s.tasks().size()).join();
            }
            if (placed[0] + placed[1] == total && onWorkers == placed[0]) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new Bench.RunFailed("tasks not all in place: " + placed[0] + " processing (" + onWorkers
                        + " on the workers) and " + placed[1] + " queued, of " + total);
            }
            Bench.sleep(20);
        }
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new Bench.RunFailed(what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Bench.RunFailed("interrupted");
        }
    }

    /** Used heap after full collections, so only reachable objects count. */
    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
