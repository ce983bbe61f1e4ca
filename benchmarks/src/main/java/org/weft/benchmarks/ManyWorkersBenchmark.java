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
import java.util.concurrent.Callable;

import org.weft.client.Client;
import org.weft.client.Graph;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Many worker processes on one scheduler, on this machine: a cluster of {@code --baseline-workers}
 * (2) worker processes, then one of {@code --workers} (50), each a fresh {@code bin/weft scheduler}
 * with its workers started together as {@code bin/weft worker} processes with small heaps. For
 * each: the time from launching the workers until every one had joined, their resident memory,
 * the scheduler's CPU while idle (heartbeats), and a no-op graph's tasks/s and the scheduler's
 * CPU per task (the scheduler process's CPU time over the run and the release after it).
 * {@code scheduler_cpu_per_task_ratio} sets the second against the first, measured in the same
 * run.
 */
@Command(name = "many-workers", mixinStandardHelpOptions = true,
        description = "Many worker processes (small heaps) on one scheduler, all bin/weft processes of the built distribution "
                + "(mvn -B -q package -pl distribution,benchmarks -am -DskipTests): all_joined_s, tasks_per_s and "
                + "scheduler_cpu_us_per_task with --workers and with --baseline-workers, and their ratio.")
final class ManyWorkersBenchmark implements Callable<Integer> {

    /** Small heaps and a lean JVM for each worker: serial GC, C1 only, one compiler thread, no perf data file. */
    static final String LEAN_WORKER_JAVA_OPTS = "-Xmx64m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 "
            + "-XX:ReservedCodeCacheSize=32m -XX:-UsePerfData";

    @Spec
    CommandSpec spec;

    @Option(names = "--workers", defaultValue = "50", description = "worker processes of the big cluster (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--baseline-workers", defaultValue = "2",
            description = "worker processes of the cluster measured first, the baseline of the ratios (default ${DEFAULT-VALUE})")
    int baselineWorkers;

    @Option(names = "--threads", defaultValue = "1", description = "executor threads per worker (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--tasks", defaultValue = "10000", description = "no-op tasks of the timed graph (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--repeats", defaultValue = "3", description = "timed runs per cluster; figures are their median (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--warmup", defaultValue = "30000",
            description = "no-op tasks run untimed first on each cluster, in graphs of 10 000 (default ${DEFAULT-VALUE}; 0: none)")
    int warmup;

    @Option(names = "--idle-seconds", defaultValue = "5",
            description = "seconds the scheduler's CPU is measured with every worker joined and nothing to do (default ${DEFAULT-VALUE}; 0: not)")
    int idleSeconds;

    @Option(names = "--worker-java-opts", defaultValue = LEAN_WORKER_JAVA_OPTS,
            description = "JAVA_OPTS of each worker process (default: ${DEFAULT-VALUE})")
    String workerJavaOpts;

    @Option(names = "--process-java-opts", description = "JAVA_OPTS of the scheduler process (default: none, bin/weft's own flags)")
    String schedulerJavaOpts;

    @Option(names = "--worker-arg", description = "an argument added to every 'bin/weft worker' command line (repeatable), e.g. --worker-arg=--no-nanny")
    List<String> workerArgs = new ArrayList<>();

    @Option(names = "--weft-home", description = "the distribution to run (default: distribution/target/weft beside benchmarks/)")
    Path weftHome;

    @Option(names = "--join-timeout", defaultValue = "600", description = "seconds every worker may take to join (default ${DEFAULT-VALUE})")
    long joinTimeoutSeconds;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds a single timed run may take (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    /** What one cluster size measured, in seconds and nanoseconds, for {@link #printFigures}. */
    record Measured(int workers, double joinedSeconds, List<Long> residentBytes, double idleCpuFraction,
            List<Double> runSeconds, List<Long> schedulerCpuNanos, int tasks) {

        double medianTasksPerSecond() {
            return Bench.median(runSeconds.stream().map(s -> tasks / s).toList());
        }

        /** Median scheduler CPU per task in µs; -1 if the CPU time could not be read. */
        double medianSchedulerMicrosPerTask() {
            if (schedulerCpuNanos.isEmpty() || schedulerCpuNanos.stream().anyMatch(n -> n < 0)) {
                return -1;
            }
            return Bench.median(schedulerCpuNanos.stream().map(n -> n / 1e3 / tasks).toList());
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (workers < 1 || baselineWorkers < 1 || threads < 1 || tasks < 1 || repeats < 1 || idleSeconds < 0 || warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--workers, --baseline-workers, --threads, --tasks and --repeats must be "
                    + "at least 1; --idle-seconds and --warmup at least 0");
        }
        Path home = weftHome != null ? weftHome : ProcessCluster.defaultHome();
        ProcessCluster.launcher(home); // before anything runs
        Bench.header(out, "many-workers", workers, threads, "a scheduler with " + baselineWorkers + ", then a fresh one with " + workers
                + " worker processes of " + home + " on loopback, the client in this JVM; graph of " + tasks + " no-op tasks, median of "
                + repeats + " runs after " + warmup + " untimed; worker JAVA_OPTS '" + workerJavaOpts + "'"
                + ", worker arguments " + workerCommandArgs() + "; scheduler JAVA_OPTS "
                + (schedulerJavaOpts == null ? "none" : "'" + schedulerJavaOpts + "'"));
        Path logs = Files.createTempDirectory("weft-bench-many-workers-");
        Bench.comment(out, "process output in " + logs);
        Map<Integer, Measured> measured = new LinkedHashMap<>();
        for (int n : baselineWorkers == workers ? List.of(workers) : List.of(baselineWorkers, workers)) {
            measured.put(n, measure(out, home, n, Files.createDirectories(logs.resolve(n + "-workers"))));
        }
        printFigures(out, measured.get(baselineWorkers), measured.get(workers));
        return 0;
    }

    private Measured measure(PrintWriter out, Path home, int n, Path logs) {
        ProcessCluster.Settings settings = new ProcessCluster.Settings(home, n, threads, schedulerJavaOpts,
                Duration.ofSeconds(joinTimeoutSeconds), 0, workerJavaOpts, workerCommandArgs());
        try (ProcessCluster cluster = ProcessCluster.start(settings, logs); Client client = Client.connect(cluster.schedulerAddress())) {
            int known = ProcessCluster.workerCount(client.identity());
            if (known != n) {
                throw new Bench.RunFailed("the scheduler knows " + known + " workers, started " + n);
            }
            List<Long> rss = cluster.workerResidentBytes();
            Bench.comment(out, String.format(Locale.ROOT, "%d workers: scheduler at its address %.3f s, every worker joined %.3f s after "
                    + "they were launched; worker resident memory median %s (process ids %s)", n, cluster.schedulerSeconds(),
                    cluster.workersSeconds(), rss.isEmpty() ? "n/a" : mib(medianOf(rss)) + " MiB, all "
                            + mib(rss.stream().mapToLong(Long::longValue).sum()) + " MiB", cluster.pids()));
            double idle = idleCpuFraction(cluster);
            Runnable awaitEmpty = () -> ProcessCluster.awaitEmpty(client, 120);
            Bench.warmUp(awaitEmpty, client, warmup);
            Graph graph = Bench.noopGraph(tasks);
            List<Double> secs = new ArrayList<>();
            List<Long> cpu = new ArrayList<>();
            for (int i = 1; i <= repeats; i++) {
                long cpu0 = cluster.schedulerCpuNanos();
                Bench.Timing t = Bench.timeRunWithCpu(awaitEmpty, client, graph, timeoutSeconds);
                long cpu1 = cluster.schedulerCpuNanos();
                long used = cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0;
                secs.add(t.seconds());
                cpu.add(used);
                Bench.comment(out, String.format(Locale.ROOT, "%d workers, run %d: %.0f tasks/s, %.3f s; scheduler CPU %s (the release "
                        + "after the run included)", n, i, tasks / t.seconds(), t.seconds(),
                        used < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f s, %.1f µs per task", used / 1e9, used / 1e3 / tasks)));
            }
            return new Measured(n, cluster.workersSeconds(), rss, idle, secs, cpu, tasks);
        }
    }

    /**
     * What each worker's command line gets beyond its name and threads: a reconnect timeout as long
     * as the join timeout (many JVMs starting at once on few cores outlast the default 60 s, and a
     * worker that gives up ends the run), then {@code --worker-arg}s, which may override it.
     */
    List<String> workerCommandArgs() {
        List<String> args = new ArrayList<>(List.of("--reconnect-timeout", joinTimeoutSeconds + "s"));
        args.addAll(workerArgs);
        return List.copyOf(args);
    }

    /** The scheduler's CPU over {@code --idle-seconds} with nothing to run, as a fraction of one core; -1 if not measured. */
    private double idleCpuFraction(ProcessCluster cluster) {
        if (idleSeconds == 0) {
            return -1;
        }
        long cpu0 = cluster.schedulerCpuNanos();
        long t0 = System.nanoTime();
        Bench.sleep(idleSeconds * 1000L);
        long cpu1 = cluster.schedulerCpuNanos();
        long t1 = System.nanoTime();
        return cpu0 < 0 || cpu1 < 0 ? -1 : (double) (cpu1 - cpu0) / (t1 - t0);
    }

    /**
     * The figures of each cluster, suffixed by its worker count, then the big one's scheduler CPU
     * per task over the baseline's ({@code baseline} is null when both sizes are the same).
     */
    static void printFigures(PrintWriter out, Measured baseline, Measured many) {
        List<Measured> all = baseline == null || baseline == many ? List.of(many) : List.of(baseline, many);
        for (Measured m : all) {
            String n = "_" + m.workers();
            Bench.seconds(out, "all_joined_s" + n, m.joinedSeconds());
            if (!m.residentBytes().isEmpty()) {
                Bench.figure(out, "worker_rss_mib" + n, mib(medianOf(m.residentBytes())));
            }
            if (m.idleCpuFraction() >= 0) {
                Bench.fraction(out, "scheduler_idle_cpu_cores" + n, m.idleCpuFraction());
            }
            Bench.figure(out, "tasks_per_s" + n, m.medianTasksPerSecond());
            if (m.medianSchedulerMicrosPerTask() >= 0) {
                Bench.fraction(out, "scheduler_cpu_us_per_task" + n, m.medianSchedulerMicrosPerTask());
            }
        }
        if (all.size() == 2) {
            if (baseline.medianSchedulerMicrosPerTask() > 0 && many.medianSchedulerMicrosPerTask() >= 0) {
                Bench.fraction(out, "scheduler_cpu_per_task_ratio", many.medianSchedulerMicrosPerTask() / baseline.medianSchedulerMicrosPerTask());
            }
            Bench.fraction(out, "tasks_per_s_ratio", many.medianTasksPerSecond() / baseline.medianTasksPerSecond());
        }
    }

    private static long medianOf(List<Long> values) {
        return Math.round(Bench.median(values.stream().map(Long::doubleValue).toList()));
    }

    private static long mib(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }
}
