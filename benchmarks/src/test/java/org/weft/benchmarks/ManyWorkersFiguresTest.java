package org.weft.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * {@code many-workers}' arguments and the figures it prints from given measurements; no process is
 * started here ({@code RunScriptIT} runs it on the distribution with a few workers).
 */
class ManyWorkersFiguresTest {

    private static ManyWorkersBenchmark parse(String... args) {
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args);
        return (ManyWorkersBenchmark) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void defaultsAreTheIssuesSizes() {
        ManyWorkersBenchmark b = parse("many-workers");
        assertEquals(50, b.workers);
        assertEquals(2, b.baselineWorkers);
        assertEquals(10_000, b.tasks);
        assertEquals(1, b.threads);
        assertTrue(b.workerJavaOpts.contains("-Xmx64m"), "small worker heaps: " + b.workerJavaOpts);
        assertEquals(List.of(), b.workerArgs);
        assertEquals(null, b.schedulerJavaOpts, "the scheduler runs with bin/weft's own flags");
    }

    @Test
    void optionsAreRead() {
        ManyWorkersBenchmark b = parse("many-workers", "--workers", "20", "--baseline-workers", "4", "--tasks", "500",
                "--worker-java-opts", "-Xmx32m", "--worker-arg=--no-nanny", "--worker-arg", "--resources=A=1", "--idle-seconds", "0");
        assertEquals(20, b.workers);
        assertEquals(4, b.baselineWorkers);
        assertEquals(500, b.tasks);
        assertEquals("-Xmx32m", b.workerJavaOpts);
        assertEquals(List.of("--no-nanny", "--resources=A=1"), b.workerArgs);
        assertEquals(List.of("--reconnect-timeout", "600s", "--no-nanny", "--resources=A=1"), b.workerCommandArgs(),
                "workers wait for the scheduler as long as the run waits for them");
        assertEquals(0, b.idleSeconds);
    }

    @Test
    void noWorkersIsRefusedBeforeAnythingStarts() {
        String[] r = RemoteFiguresTest.runAndCapture("many-workers", "--workers", "0");
        assertEquals("2", r[0], "a usage error: " + r[2]);
        assertTrue(r[2].contains("--workers"), r[2]);
        assertFalse(r[1].contains("# weft-benchmarks many-workers"), "nothing ran: " + r[1]);
    }

    @Test
    void aMissingDistributionSaysHowToBuildIt(@TempDir Path empty) {
        String[] r = RemoteFiguresTest.runAndCapture("many-workers", "--weft-home", empty.toString());
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("no built distribution at " + empty), r[2]);
    }

    @Test
    void eachSizesFiguresAndTheRatiosArePrinted() {
        ManyWorkersBenchmark.Measured two = new ManyWorkersBenchmark.Measured(2, 4.5, List.of(200L << 20, 220L << 20), 0.0123,
                List.of(1.0, 0.5, 2.0), List.of(400_000_000L, 200_000_000L, 300_000_000L), 10_000);
        ManyWorkersBenchmark.Measured fifty = new ManyWorkersBenchmark.Measured(50, 61.25, List.of(190L << 20), 0.25,
                List.of(2.0, 2.5, 1.0), List.of(900_000_000L, 600_000_000L, 750_000_000L), 10_000);
        StringWriter s = new StringWriter();
        ManyWorkersBenchmark.printFigures(new PrintWriter(s, true), two, fifty);
        assertEquals(List.of(
                "all_joined_s_2: 4.500", "worker_rss_mib_2: 210", "scheduler_idle_cpu_cores_2: 0.012", "tasks_per_s_2: 10000",
                "scheduler_cpu_us_per_task_2: 30.000",
                "all_joined_s_50: 61.250", "worker_rss_mib_50: 190", "scheduler_idle_cpu_cores_50: 0.250", "tasks_per_s_50: 5000",
                "scheduler_cpu_us_per_task_50: 75.000",
                "scheduler_cpu_per_task_ratio: 2.500", "tasks_per_s_ratio: 0.500"), s.toString().lines().toList());
    }

    @Test
    void unknownCpuAndMemoryAreLeftOutNotGuessed() {
        ManyWorkersBenchmark.Measured m = new ManyWorkersBenchmark.Measured(3, 2.0, List.of(), -1, List.of(1.0), List.of(-1L), 100);
        StringWriter s = new StringWriter();
        ManyWorkersBenchmark.printFigures(new PrintWriter(s, true), null, m);
        assertEquals(List.of("all_joined_s_3: 2.000", "tasks_per_s_3: 100"), s.toString().lines().toList());
    }
}
