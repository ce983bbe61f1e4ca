package org.weft.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.protocol.StoryEntry;

import picocli.CommandLine;

/**
 * {@code remote}'s arguments, the lines it reads from the processes, and the figures it prints
 * from given timings; no process is started here ({@code RunScriptIT} runs it on the distribution).
 */
class RemoteFiguresTest {

    private static RemoteBenchmark parse(String... args) {
        CommandLine cli = new CommandLine(new Main());
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        return (RemoteBenchmark) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void defaultsAreTheIssuesSizes() {
        RemoteBenchmark b = parse("remote");
        assertEquals(List.of(10_000, 100_000), b.tasks);
        assertEquals(10_000, b.leaves);
        assertEquals(64, b.transferMb);
        assertEquals(3, b.startRepeats);
        assertEquals(2, b.workers);
        assertEquals(1, b.threads);
        assertEquals(200_000, b.warmup, "the warm-up noop and tree have");
        assertEquals(null, b.weftHome, "found beside benchmarks/ unless named");
        assertEquals(0, b.port, "any free port, the workers started once the scheduler listens");
    }

    @Test
    void optionsAreRead() {
        RemoteBenchmark b = parse("remote", "--tasks", "500,2000", "--leaves", "0", "--transfer-mb", "1", "--start-repeats", "5",
                "--weft-home", "/opt/weft", "--process-java-opts", "-Xmx2g -XX:+UseG1GC", "--port", "18786");
        assertEquals(List.of(500, 2000), b.tasks);
        assertEquals(0, b.leaves);
        assertEquals(1, b.transferMb);
        assertEquals(5, b.startRepeats);
        assertEquals(Path.of("/opt/weft"), b.weftHome);
        assertEquals("-Xmx2g -XX:+UseG1GC", b.processJavaOpts);
        assertEquals(18786, b.port);
    }

    /** Runs the harness in this JVM: exit code, standard output, standard error. */
    static String[] runAndCapture(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(rc), out.toString(), err.toString()};
    }

    @Test
    void zeroRepeatsAreRefusedBeforeAnythingStarts() {
        String[] r = runAndCapture("remote", "--start-repeats", "0");
        assertEquals("2", r[0], "a usage error: " + r[2]);
        assertTrue(r[2].contains("--start-repeats"), r[2]);
        assertFalse(r[1].contains("# weft-benchmarks remote"), "nothing ran: " + r[1]);
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        String[] r = runAndCapture("remote", "--port", "70000");
        assertEquals("2", r[0], "a usage error: " + r[2]);
        assertTrue(r[2].contains("--port must be 0"), r[2]);
    }

    @Test
    void aMissingDistributionSaysHowToBuildIt(@TempDir Path empty) {
        String[] r = runAndCapture("remote", "--weft-home", empty.toString());
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("no built distribution at " + empty), r[2]);
        assertTrue(r[2].contains("mvn -B -q package -pl distribution,benchmarks -am -DskipTests"), r[2]);
    }

    @Test
    void theDefaultDistributionIsBesideTheBenchmarksFolder() {
        String before = System.getProperty("weft.benchmarks.dir");
        try {
            System.setProperty("weft.benchmarks.dir", "/src/weft/benchmarks");
            assertEquals(Path.of("/src/weft/distribution/target/weft"), ProcessCluster.defaultHome());
        } finally {
            if (before == null) {
                System.clearProperty("weft.benchmarks.dir");
            } else {
                System.setProperty("weft.benchmarks.dir", before);
            }
        }
    }

    @Test
    void theProcessesAnnounceLinesAreRead() {
        assertEquals(Optional.of("tcp://127.0.0.1:40123"), ProcessCluster.schedulerAddress("scheduler at tcp://127.0.0.1:40123"));
        assertEquals(Optional.empty(), ProcessCluster.schedulerAddress(
                "Weft 0.1.0-SNAPSHOT scheduler (no token, no TLS), ready in 4.0 s. Ctrl-C to stop."));
        assertEquals(Optional.of(new ProcessCluster.Joined("w2", "tcp://127.0.0.1:40625", "tcp://127.0.0.1:33019")),
                ProcessCluster.joined("worker w2 at tcp://127.0.0.1:40625 joined tcp://127.0.0.1:33019"));
        assertEquals(Optional.empty(), ProcessCluster.joined(
                "Weft 0.1.0-SNAPSHOT worker w2: 1 threads, scheduler tcp://127.0.0.1:33019 (no token, no TLS), ready in 16.1 s."));
    }

    @Test
    void whatTheClusterHoldsComesFromTheSchedulersIdentity() {
        Map<String, Object> busy = Map.of("total-tasks", 3, "workers", Map.of(
                "tcp://a", Map.of("nthreads", 1, "processing", 1, "in-memory", 2),
                "tcp://b", Map.of("nthreads", 1, "processing", 0, "in-memory", 0)));
        assertEquals(6, ProcessCluster.held(busy));
        assertEquals(2, ProcessCluster.workerCount(busy));
        Map<String, Object> idle = Map.of("total-tasks", 0, "workers", Map.of("tcp://a", Map.of("processing", 0, "in-memory", 0)));
        assertEquals(0, ProcessCluster.held(idle));
    }

    @Test
    void theReceiversStoryGivesTheTimeInFlight() {
        List<StoryEntry> story = List.of(
                new StoryEntry("src", "scheduler", "processing", "memory", "s1", 1_000),
                new StoryEntry("src", "tcp://w1", "executing", "memory", "s2", 1_001),
                new StoryEntry("src", "tcp://w2", "released", "fetch", "s3", 1_010),
                new StoryEntry("src", "tcp://w2", "fetch", "flight", "s4", 1_012),
                new StoryEntry("src", "tcp://w2", "flight", "memory", "s5", 1_087));
        assertEquals(0.075, RemoteBenchmark.flightSeconds(story, "tcp://w2"), 1e-9);
        assertEquals(-1, RemoteBenchmark.flightSeconds(story, "tcp://w1"), "no fetch there");
        assertEquals(-1, RemoteBenchmark.flightSeconds(story.subList(0, 4), "tcp://w2"), "not in memory yet");
    }

    private static String figures(RemoteBenchmark.Results r) {
        StringWriter out = new StringWriter();
        RemoteBenchmark.printFigures(new PrintWriter(out), r);
        return out.toString();
    }

    @Test
    void figuresAreMediansAndTheTransferRatioIsTheMedianOfTheRounds() {
        Map<Integer, List<Double>> noop = new LinkedHashMap<>();
        noop.put(10_000, List.of(0.5, 0.25, 1.0));
        noop.put(100_000, List.of(2.0));
        String out = figures(new RemoteBenchmark.Results(List.of(1.9, 1.5, 2.4), List.of(0.9, 0.7, 1.0), noop,
                19_999, List.of(0.4, 0.5), 64 << 20,
                List.of(0.100, 0.200, 0.125), List.of(0.090, 0.150, 0.110), List.of(0.090, 0.100, 0.110)));
        assertEquals(String.join("\n",
                "cluster_start_s: 1.900",
                "scheduler_start_s: 0.900",
                "remote_noop_tasks_per_s_10000: 20000",
                "remote_noop_elapsed_s_10000: 0.500",
                "remote_noop_tasks_per_s_100000: 50000",
                "remote_noop_elapsed_s_100000: 2.000",
                "remote_tree_tasks_per_s: 44998", // the mean of 49 997.5 and 39 998
                "remote_tree_elapsed_s: 0.450",
                "remote_tree_tasks: 19999",
                "transfer_bytes: 67108864",
                "remote_transfer_s: 0.125",
                "remote_transfer_in_flight_s: 0.110",
                "netty_copy_s: 0.100",
                "transfer_ratio: 0.880", // the rounds 0.9, 0.5, 0.88; not 0.100 / 0.125 of the medians
                ""), out.replace("\r\n", "\n"));
    }

    @Test
    void whatWasNotMeasuredPrintsNoLine() {
        String out = figures(new RemoteBenchmark.Results(List.of(2.5), List.of(1.25), Map.of(), 0, List.of(), 0,
                List.of(), List.of(), List.of()));
        assertEquals("cluster_start_s: 2.500\nscheduler_start_s: 1.250\n", out.replace("\r\n", "\n"));
        assertFalse(out.contains("NaN"), out);
    }
}
