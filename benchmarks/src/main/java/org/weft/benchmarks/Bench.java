package org.weft.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.client.Progress;
import org.weft.client.WeftFuture;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.protocol.TaskRef;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.worker.WorkerNode;

/** What the workloads share: starting a cluster, building graphs, timing one run, printing. */
final class Bench {

    private Bench() {
    }

    /** Thrown when a run does not finish in its time limit, or finishes with failed tasks. */
    static final class RunFailed extends RuntimeException {
        RunFailed(String message) {
            super(message);
        }
    }

    static LocalCluster startCluster(ClusterOptions options) {
        return LocalCluster.start(options.config(), TaskFunctionRegistry.withBuiltins());
    }

    static LocalCluster startCluster(int workers, int threads) {
        return LocalCluster.start(LocalClusterConfig.of(workers).withThreads(threads), TaskFunctionRegistry.withBuiltins());
    }

    /** The header comment: what ran where. */
    static void header(PrintWriter out, String workload, ClusterOptions cluster, String params) {
        header(out, workload, cluster.workers, cluster.threads, params + "; " + cluster.schedulerSettings());
    }

    static void header(PrintWriter out, String workload, int workers, int threads, String params) {
        Runtime rt = Runtime.getRuntime();
        List<String> gcs = new ArrayList<>();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> gcs.add(gc.getName()));
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        out.printf(Locale.ROOT, "# weft-benchmarks %s: %s; JVM %s %s (%s), cores %d, heap max %d MiB, GC %s; workers %d, threads %d; "
                        + "load average at start %s%n",
                workload, params,
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version", System.getProperty("java.version")),
                System.getProperty("os.arch"), rt.availableProcessors(), rt.maxMemory() / (1024 * 1024),
                String.join("+", gcs), workers, threads, load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load));
        out.flush();
    }

    static void figure(PrintWriter out, String name, double value) {
        out.printf(Locale.ROOT, "%s: %.0f%n", name, value);
        out.flush();
    }

    static void fraction(PrintWriter out, String name, double value) {
        out.printf(Locale.ROOT, "%s: %.3f%n", name, value);
        out.flush();
    }

    static void seconds(PrintWriter out, String name, double value) {
        out.printf(Locale.ROOT, "%s: %.3f%n", name, value);
        out.flush();
    }

    /** CPU time this process has used so far, in nanoseconds (-1 if the JVM cannot tell). */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * A comment with the CPU this process got during a timed run: on a machine shared with other
     * work, a low share of the cores explains a low figure.
     */
    static void cpuComment(PrintWriter out, Timing t) {
        double cpu = t.cpuSeconds();
        double wallSeconds = t.seconds();
        if (cpu < 0 || wallSeconds <= 0) {
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        comment(out, String.format(Locale.ROOT, "process CPU during the timed run: %.2f s in %.2f s wall = %.0f%% of %d cores",
                cpu, wallSeconds, 100 * cpu / (wallSeconds * cores), cores));
    }

    /** One timed run, as a comment: its rate and the CPU share it got. */
    static void runComment(PrintWriter out, int run, int tasks, Timing t) {
        int cores = Runtime.getRuntime().availableProcessors();
        comment(out, String.format(Locale.ROOT, "run %d: %.0f tasks/s, %.3f s, process CPU %.2f s = %.0f%% of %d cores",
                run, tasks / t.seconds(), t.seconds(), t.cpuSeconds(), 100 * t.cpuSeconds() / (t.seconds() * cores), cores));
    }

    /**
     * The figures of repeated runs: {@code tasks_per_s} (median), {@code elapsed_s} (median) and
     * {@code cpu_us_per_task} (median process CPU per task, less sensitive to other work on the machine).
     */
    static void medianFigures(PrintWriter out, String suffix, int tasks, List<Timing> runs) {
        List<Double> rates = new ArrayList<>();
        List<Double> secs = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> allocated = new ArrayList<>();
        for (Timing t : runs) {
            rates.add(tasks / t.seconds());
            secs.add(t.seconds());
            cpu.add(t.cpuSeconds() * 1e6 / tasks);
            allocated.add((double) ThreadCpu.allocatedBytes(t.threads()) / tasks);
        }
        figure(out, "tasks_per_s" + suffix, median(rates));
        seconds(out, "elapsed_s" + suffix, median(secs));
        if (runs.stream().allMatch(t -> t.cpuSeconds() >= 0)) {
            fraction(out, "cpu_us_per_task" + suffix, median(cpu));
        }
        if (!runs.isEmpty() && runs.stream().allMatch(t -> ThreadCpu.allocatedBytes(t.threads()) >= 0)) {
            figure(out, "alloc_bytes_per_task" + suffix, median(allocated));
        }
    }

    /**
     * The fields of a process's {@code /proc/PID/stat} after its command name (which may hold spaces
     * and brackets): index 0 is the state (the file's 3rd field), 7 {@code minflt}, 11 and 12
     * {@code utime} and {@code stime}.
     */
    static String[] procStat(Path procDir) throws IOException {
        String stat = Files.readString(procDir.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    static void comment(PrintWriter out, String text) {
        out.println("# " + text);
        out.flush();
    }

    // ---------------------------------------------------------------- graphs

    /** {@code n} independent no-op tasks, keys {@code noop-0..n-1}, all wanted. */
    static Graph noopGraph(int n) {
        return noopGraph(n, "noop-");
    }

    /** {@code n} independent no-op tasks, keys {@code prefix0..prefix(n-1)}, all wanted. */
    static Graph noopGraph(int n, String prefix) {
        Graph.Builder b = Graph.builder();
        for (int i = 0; i < n; i++) {
            b.task(prefix + i, "noop");
        }
        return b.build(); // with no keys given, every task is wanted (none depends on another)
    }

    /** A tree reduction with its task count and expected root value. */
    record Tree(Graph graph, int tasks, String root, long expected) {
    }

    /**
     * {@code leaves} tasks {@code inc(i)}, then {@code add} over pairs (fan-in 2) level by level up to
     * one root; an odd one out at a level moves up unchanged. Only the root is wanted.
     */
    static Tree treeGraph(int leaves) {
        if (leaves < 1) {
            throw new IllegalArgumentException("leaves must be >= 1");
        }
        Graph.Builder b = Graph.builder();
        List<String> level = new ArrayList<>(leaves);
        for (int i = 0; i < leaves; i++) {
            String key = "inc-" + i;
            b.task(key, "inc", (long) i);
            level.add(key);
        }
        int tasks = leaves;
        int depth = 0;
        while (level.size() > 1) {
            depth++;
            List<String> next = new ArrayList<>((level.size() + 1) / 2);
            for (int j = 0; j + 1 < level.size(); j += 2) {
                String key = "add-" + depth + "-" + (j / 2);
                b.task(key, "add", new TaskRef(level.get(j)), new TaskRef(level.get(j + 1)));
                next.add(key);
                tasks++;
            }
            if (level.size() % 2 == 1) {
                next.add(level.get(level.size() - 1));
            }
            level = next;
        }
        String root = level.get(0);
        b.keys(root);
        long n = leaves;
        return new Tree(b.build(), tasks, root, n * (n + 1) / 2); // sum of i+1 for i < n
    }

    // ---------------------------------------------------------------- runs

    /**
     * Submits {@code graph} in one {@link Client#compute} call and waits until every wanted key is
     * in memory; returns the seconds from submit to that moment. Then releases the keys and waits
     * until the scheduler has forgotten every task, so the next run starts from an empty scheduler.
     * A full GC runs before the clock starts, so runs are comparable.
     */
    static double timeRun(LocalCluster cluster, Client client, Graph graph, long timeoutSeconds) {
        return timeRunWithCpu(cluster, client, graph, timeoutSeconds).seconds();
    }

    /**
     * Wall seconds of a timed run, the CPU seconds the process used meanwhile (-1 if unknown), and
     * the CPU each thread group used (see {@link ThreadCpu}; empty if the JVM cannot tell).
     */
    record Timing(double seconds, double cpuSeconds, Map<String, ThreadCpu.Use> threads, double gcSeconds) {
        Timing(double seconds, double cpuSeconds, Map<String, ThreadCpu.Use> threads) {
            this(seconds, cpuSeconds, threads, -1);
        }

        Timing(double seconds, double cpuSeconds) {
            this(seconds, cpuSeconds, Map.of());
        }
    }

    /**
     * Milliseconds the JVM's collectors have spent collecting so far, all collectors together (-1 if
     * one cannot tell). For Parallel, the default flags' collector, this is the time the application
     * stood still; for G1 on JDK 20 and later it also counts the concurrent cycles ("G1 Concurrent
     * GC"), which run beside the application.
     */
    static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            long t = gc.getCollectionTime();
            if (t < 0) {
                return -1;
            }
            total += t;
        }
        return total;
    }

    /** The per-thread CPU of a run as one comment line: where the cores went, user and kernel time. */
    static void threadComment(PrintWriter out, int tasks, Timing t) {
        if (!t.threads().isEmpty()) {
            comment(out, "CPU per task by thread (user+kernel us): " + ThreadCpu.describe(t.threads(), tasks));
            if (ThreadCpu.allocatedBytes(t.threads()) >= 0) {
                comment(out, "heap bytes allocated per task by thread: " + ThreadCpu.describeAllocation(t.threads(), tasks));
            }
        }
    }

    /** {@link #timeRun}, also measuring the process's CPU time over the timed part. */
    static Timing timeRunWithCpu(LocalCluster cluster, Client client, Graph graph, long timeoutSeconds) {
        return timeRunWithCpu(() -> awaitEmpty(cluster, 120), client, graph, timeoutSeconds);
    }

    /**
     * {@link #timeRunWithCpu(LocalCluster, Client, Graph, long)} for any cluster: {@code awaitEmpty}
     * returns once the cluster holds no task (for a cluster in other processes, as its scheduler
     * tells the client).
     */
    static Timing timeRunWithCpu(Runnable awaitEmpty, Client client, Graph graph, long timeoutSeconds) {
        System.gc(); // each run starts from a collected heap; outside the timed part
        ThreadCpu threads = ThreadCpu.start();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        Map<String, WeftFuture> futures = client.compute(graph);
        Progress progress = client.progress(futures.values(), (done, erred, total) -> { });
        boolean complete = progress.await(timeoutSeconds, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        Map<String, ThreadCpu.Use> perThread = threads.stop();
        requireFinished(progress, complete, timeoutSeconds);
        client.release(futures.values());
        awaitEmpty.run();
        return new Timing((t1 - t0) / 1e9, cpuSeconds(cpu0, cpu1), perThread);
    }

    /** Throws {@link RunFailed} unless every wanted key of the run is in memory. */
    private static void requireFinished(Progress progress, boolean complete, long timeoutSeconds) {
        if (!complete) {
            throw new RunFailed("not done within " + timeoutSeconds + " s: " + progress);
        }
        if (progress.erred() > 0) {
            throw new RunFailed(progress.erred() + " of " + progress.total() + " wanted keys did not finish: " + progress);
        }
    }

    /** Process CPU seconds between two readings of {@link #processCpuNanos}, or -1 if unknown. */
    private static double cpuSeconds(long cpu0, long cpu1) {
        return cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) / 1e9;
    }

    /**
     * Runs {@code graphs} back to back, timed as one block: each is submitted once the one before
     * is all in memory, whose keys are released then, without waiting for the cluster to forget
     * them (the graphs' keys differ), as a client streaming work would. One full GC before the
     * clock starts; the collections the block needs happen inside it, and their pauses are
     * reported ({@link Timing#gcSeconds}). Then waits until the cluster holds no task.
     */
    static Timing timeStream(LocalCluster cluster, Client client, List<Graph> graphs, long timeoutSeconds) {
        return timeStream(() -> awaitEmpty(cluster, 120), client, graphs, timeoutSeconds);
    }

    /** {@link #timeStream(LocalCluster, Client, List, long)} for any cluster (see {@link #timeRunWithCpu(Runnable, Client, Graph, long)}). */
    static Timing timeStream(Runnable awaitEmpty, Client client, List<Graph> graphs, long timeoutSeconds) {
        System.gc();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long gc0 = gcMillis();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (Graph graph : graphs) {
            Map<String, WeftFuture> futures = client.compute(graph);
            Progress progress = client.progress(futures.values(), (done, erred, total) -> { });
            long left = deadline - System.nanoTime();
            requireFinished(progress, progress.await(Math.max(left, 0), TimeUnit.NANOSECONDS), timeoutSeconds);
            client.release(futures.values());
        }
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        long gc1 = gcMillis();
        awaitEmpty.run();
        return new Timing((t1 - t0) / 1e9, cpuSeconds(cpu0, cpu1), Map.of(), gc0 < 0 || gc1 < 0 ? -1 : (gc1 - gc0) / 1e3);
    }

    /**
     * Runs {@code graphs} timed as one block with two in flight: the next graph is submitted before
     * the one running finishes, whose keys are released once it is all in memory, so the cluster
     * takes in one graph while it runs another, as a client streaming work would, rather than
     * standing idle while a single big graph arrives. One full GC before the clock starts. Returns
     * the wall seconds; then waits until the cluster holds no task.
     */
    static double timePipelined(Runnable awaitEmpty, Client client, List<Graph> graphs, long timeoutSeconds) {
        System.gc();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long t0 = System.nanoTime();
        Map<String, WeftFuture> running = client.compute(graphs.get(0));
        for (int i = 1; i <= graphs.size(); i++) {
            Map<String, WeftFuture> next = i < graphs.size() ? client.compute(graphs.get(i)) : null;
            Progress progress = client.progress(running.values(), (done, erred, total) -> { });
            long left = deadline - System.nanoTime();
            requireFinished(progress, progress.await(Math.max(left, 0), TimeUnit.NANOSECONDS), timeoutSeconds);
            client.release(running.values());
            running = next;
        }
        long t1 = System.nanoTime();
        awaitEmpty.run();
        return (t1 - t0) / 1e9;
    }

    static void release(LocalCluster cluster, Client client, Collection<WeftFuture> futures) {
        client.release(futures);
        awaitEmpty(cluster, 120);
    }

    /**
     * Waits until the scheduler and every worker hold no task (released keys forgotten
     * everywhere), so the next run does not share the cores with the last one's clean-up: after a
     * million-task run the workers free their keys for a while after the scheduler has forgotten them.
     */
    static void awaitEmpty(LocalCluster cluster, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int left;
        while ((left = tasksHeld(cluster)) > 0) {
            if (System.nanoTime() > deadline) {
                throw new RunFailed("the cluster still holds " + left + " tasks " + timeoutSeconds + " s after release");
            }
            sleep(5); // no "idle" notification: poll the task counts
        }
    }

    private static int tasksHeld(LocalCluster cluster) {
        int held = cluster.scheduler().query(s -> s.tasks().size()).join();
        for (WorkerNode w : cluster.workers()) {
            held += w.query(ws -> ws.tasks().size()).join();
        }
        return held;
    }

    /** Tasks per warm-up graph: many graphs rather than one, so per-graph paths get compiled too. */
    static final int WARMUP_BATCH = 10_000;

    /**
     * {@code n} no-op tasks, untimed, in graphs of {@value #WARMUP_BATCH}, so the JIT has compiled
     * the paths before timing (one graph of 20 000 left a 10k-task run at a third of its warm speed).
     */
    static void warmUp(LocalCluster cluster, Client client, int n) {
        warmUp(() -> awaitEmpty(cluster, 120), client, n);
    }

    /** {@link #warmUp(LocalCluster, Client, int)} for any cluster. */
    static void warmUp(Runnable awaitEmpty, Client client, int n) {
        List<Graph> batches = new ArrayList<>();
        for (int done = 0, b = 0; done < n; done += WARMUP_BATCH, b++) {
            batches.add(noopGraph(Math.min(WARMUP_BATCH, n - done), "warmup-" + b + "-"));
        }
        if (!batches.isEmpty()) {
            timeStream(awaitEmpty, client, batches, 600);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailed("interrupted");
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
