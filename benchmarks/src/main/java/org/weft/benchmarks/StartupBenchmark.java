package org.weft.benchmarks;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.weft.client.Client;
import org.weft.local.LocalCluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * In-JVM start-up: from {@link LocalCluster#start} to its return (scheduler running, every worker
 * joined), the first time in this JVM (cold: classes loaded, nothing compiled) and then warm.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
        description = "Time from LocalCluster.start to ready (all workers joined): the first start in this JVM, "
                + "then the median of --repeats further starts.")
final class StartupBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workers", defaultValue = "2", description = "workers (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--threads", defaultValue = "1", description = "threads per worker (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--repeats", defaultValue = "10", description = "warm starts after the first (default ${DEFAULT-VALUE})")
    int repeats;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Bench.header(out, "startup", workers, threads,
                "LocalCluster.start until every worker joined; first start in a fresh JVM, then median of " + repeats
                        + " warm starts; client connect and first task timed separately");
        double cold = startOnce(out, true);
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            warm.add(startOnce(out, false));
        }
        Bench.seconds(out, "local_start_ms", cold);
        if (!warm.isEmpty()) {
            Bench.seconds(out, "local_start_ms_warm", Bench.median(warm));
        }
        return 0;
    }

    private double startOnce(PrintWriter out, boolean first) {
        long t0 = System.nanoTime();
        LocalCluster c = Bench.startCluster(workers, threads);
        long t1 = System.nanoTime();
        try (c; Client client = c.client()) {
            if (first) {
                long t2 = System.nanoTime();
                Object v = client.submit("inc", 1L).get();
                long t3 = System.nanoTime();
                if (!(v instanceof Number n) || n.longValue() != 2) {
                    throw new Bench.RunFailed("inc(1) returned " + v);
                }
                Bench.seconds(out, "first_task_ms", (t3 - t2) / 1e6);
            }
        }
        return (t1 - t0) / 1e6;
    }
}
