package org.weft.benchmarks;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Weft's benchmark harness: each subcommand runs one standard workload in this JVM and prints one
 * {@code name: value} line per figure, after a {@code #} header describing the run. Nothing is
 * asserted about timing: benchmarks print, tests assert.
 */
@Command(name = "weft-benchmarks", mixinStandardHelpOptions = true, version = "weft-benchmarks 0.1.0-SNAPSHOT",
        description = "Runs a standard Weft workload in-process and prints its figures as 'name: value' lines.",
        subcommands = {
                NoopBenchmark.class,
                TreeBenchmark.class,
                PluginsBenchmark.class,
                SlowDropBenchmark.class,
                StartupBenchmark.class,
                ScaleBenchmark.class,
                HeapBenchmark.class,
                ProfilingBenchmark.class,
                RabbitMqBenchmark.class,
                RemoteBenchmark.class,
                ManyWorkersBenchmark.class,
                DashboardBenchmark.class,
        })
public final class Main implements Runnable {

    static {
        // Quiet by default: INFO lines would interleave with the figures. -D... on the command line wins.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a workload: noop, tree, plugins, slow-drop, startup, scale, heap, profiling, rabbitmq, remote, many-workers, dashboard, jmh");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the harness with the figures written to {@code out}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        int rc = cli.execute(args);
        out.flush();
        err.flush();
        return rc;
    }
}
