package org.weft.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code benchmarks/run}, the script, on the packaged jar: what the README tells a user to type. */
class RunScriptIT {

    /**
     * JAVA_OPTS of the Weft processes these runs start: they check that every figure is printed,
     * not its value, so the optimizing compiler would only slow them (a process starts in about
     * half the time on two cores without it).
     */
    private static final String QUICK_PROCESSES = "-XX:TieredStopAtLevel=1";

    @TempDir
    Path dir;

    private record Result(int exitCode, String output) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return runScript("run", 120, args);
    }

    /** {@code benchmarks/<script> args}, with at most {@code seconds} to finish. */
    private Result runScript(String name, long seconds, String... args) throws IOException, InterruptedException {
        Path script = benchmarksDir().resolve(name);
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("WEFT_BENCH_JAVA_OPTS", "-Xmx512m"); // small runs; the defaults pre-size 4 GiB
        Process process = builder.start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("benchmarks/" + name + " " + String.join(" ", args) + " did not end: "
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static Path benchmarksDir() {
        return Path.of(System.getProperty("weft.benchmarks.dir", ".")).toAbsolutePath().normalize();
    }

    @Test
    void helpListsTheWorkloads() throws Exception {
        Result r = run("--help");
        assertEquals(0, r.exitCode(), r.output());
        for (String workload : List.of("noop", "tree", "plugins", "heap", "scale", "startup", "remote", "many-workers")) {
            assertTrue(r.output().contains(workload), workload + " missing from: " + r.output());
        }
    }

    @Test
    void aWorkloadPrintsItsFigures() throws Exception {
        Result r = run("noop", "--tasks", "200", "--warmup", "0", "--repeats", "1");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().lines().anyMatch(l -> l.matches("tasks_per_s: \\d+")), r.output());
    }

    /** The quick settings fill in what the arguments leave out, and what they give wins. */
    @Test
    void jmhGetsQuickSettingsForWhatItIsNotGiven() throws Exception {
        Result r = run("jmh", "PluginDispatch", "-p", "plugins=1", "-wi", "0", "-i", "1", "-r", "100ms");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("# Measurement: 1 iterations, 100 ms each"), r.output());
        assertTrue(r.output().contains("# Fork: 1 of 1"), "the quick -f 1, not JMH's 5 forks: " + r.output());
        assertTrue(r.output().lines().anyMatch(l -> l.startsWith("# VM options:") && l.contains("-XX:+UseTransparentHugePages")),
                "the quick -jvmArgsAppend: " + r.output());
        assertTrue(r.output().contains("PluginDispatchJmh.transitionEvent"), r.output());
    }

    /**
     * remote on the distribution beside this module (built before it: the pom orders it): a
     * scheduler and two worker processes, every figure printed, and no process left behind.
     */
    @Test
    void remoteRunsTheClusterInProcessesAndPrintsEveryFigure() throws Exception {
        Result r = runScript("run", 300, "remote", "--tasks", "200,300", "--leaves", "100", "--warmup", "0", "--repeats", "1",
                "--transfer-mb", "1", "--transfer-rounds", "1", "--start-repeats", "2", "--process-java-opts", QUICK_PROCESSES);
        assertEquals(0, r.exitCode(), r.output());
        for (String figure : List.of("cluster_start_s", "scheduler_start_s", "remote_noop_tasks_per_s_200", "remote_noop_tasks_per_s_300",
                "remote_tree_tasks_per_s", "remote_transfer_s", "netty_copy_s", "transfer_ratio")) {
            assertTrue(r.output().lines().anyMatch(l -> l.matches(figure + ": \\d+(\\.\\d+)?")), figure + " missing: " + r.output());
        }
        assertTrue(r.output().contains("remote_tree_tasks: 199"), r.output());
        assertTrue(r.output().lines().anyMatch(l -> l.matches("# noop 200, run 1: .*their minor page faults \\d+\\.\\d per 1 000 tasks")),
                "each run says how many pages the processes faulted in: " + r.output());
        assertEquals(2, r.output().lines().filter(l -> l.startsWith("# start ")).count(), "two clusters started: " + r.output());
        String logs = r.output().lines().filter(l -> l.startsWith("# process output in ")).findFirst().orElseThrow()
                .substring("# process output in ".length());
        for (String start : List.of("start-1", "start-2")) {
            for (String process : List.of("scheduler", "w1", "w2")) {
                Path out = Path.of(logs, start, process + ".stdout.txt");
                assertTrue(Files.readString(out, StandardCharsets.UTF_8).contains(process.equals("scheduler") ? "scheduler at tcp://"
                        : "worker " + process + " at tcp://"), out + " has its announce line");
            }
        }
        List<Long> pids = r.output().lines().filter(l -> l.startsWith("# start "))
                .map(l -> l.substring(l.indexOf("(process ids [") + "(process ids [".length(), l.lastIndexOf("])")))
                .flatMap(ids -> java.util.Arrays.stream(ids.split(", "))).map(Long::valueOf).toList();
        assertEquals(6, pids.size(), r.output());
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "process " + pid + " stopped");
        }
    }

    /**
     * many-workers with a few workers (the 50 are benchmarks/README's): a cluster of 1, then
     * one of 3 worker processes, every figure of both and the ratios, and no process left behind.
     */
    @Test
    void manyWorkersRunsBothClustersAndPrintsEveryFigure() throws Exception {
        Result r = runScript("run", 300, "many-workers", "--workers", "3", "--baseline-workers", "1", "--tasks", "200",
                "--warmup", "0", "--repeats", "1", "--idle-seconds", "1", "--process-java-opts", QUICK_PROCESSES);
        assertEquals(0, r.exitCode(), r.output());
        for (String figure : List.of("all_joined_s_1", "all_joined_s_3", "tasks_per_s_1", "tasks_per_s_3", "scheduler_cpu_us_per_task_1",
                "scheduler_cpu_us_per_task_3", "scheduler_idle_cpu_cores_3", "worker_rss_mib_3", "scheduler_cpu_per_task_ratio",
                "tasks_per_s_ratio")) {
            assertTrue(r.output().lines().anyMatch(l -> l.matches(figure + ": \\d+(\\.\\d+)?")), figure + " missing: " + r.output());
        }
        String logs = r.output().lines().filter(l -> l.startsWith("# process output in ")).findFirst().orElseThrow()
                .substring("# process output in ".length());
        for (String worker : List.of("w1", "w2", "w3")) {
            Path out = Path.of(logs, "3-workers", worker + ".stdout.txt");
            assertTrue(Files.readString(out, StandardCharsets.UTF_8).contains("worker " + worker + " at tcp://"), out + " has its joined line");
        }
        List<Long> pids = r.output().lines().filter(l -> l.contains(" workers: scheduler at its address "))
                .map(l -> l.substring(l.indexOf("(process ids [") + "(process ids [".length(), l.lastIndexOf("])")))
                .flatMap(ids -> java.util.Arrays.stream(ids.split(", "))).map(Long::valueOf).toList();
        assertEquals(2 + 4, pids.size(), "a scheduler and its workers, twice: " + r.output());
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "process " + pid + " stopped");
        }
    }

    /** With a fixed port every process starts at once; the workers join once the scheduler listens. */
    @Test
    void remoteOnAFixedPortStartsEveryProcessAtOnce() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Result r = runScript("run", 300, "remote", "--port", Integer.toString(port), "--tasks", "0", "--leaves", "0",
                "--transfer-mb", "0", "--warmup", "0", "--start-repeats", "1", "--process-java-opts", QUICK_PROCESSES);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("every process at once (port " + port + ")"), r.output());
        assertTrue(r.output().lines().anyMatch(l -> l.matches("cluster_start_s: \\d+\\.\\d{3}")), r.output());
        assertTrue(r.output().lines().noneMatch(l -> l.startsWith("remote_")), "sizes of 0 run nothing: " + r.output());
    }

    /** compare runs both trees in turn and prints both medians and the ratio; here a tree against itself. */
    @Test
    void compareRunsBothBuildsInTurnAndPrintsTheRatios() throws Exception {
        Result r = runScript("compare", 120, "-n", "2", benchmarksDir().getParent().toString(), "noop", "--tasks", "200", "--warmup", "0",
                "--repeats", "1");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(4, r.output().lines().filter(l -> l.matches("# [AB] run [12]: tasks_per_s: \\d+ .*")).count(), r.output());
        for (String figure : List.of("tasks_per_s_a", "tasks_per_s_b", "ratio_tasks_per_s", "ratio_cpu_us_per_task")) {
            assertTrue(r.output().lines().anyMatch(l -> l.matches(figure + ": \\d+\\.\\d{3}")), figure + " missing: " + r.output());
        }
    }

    @Test
    void compareRefusesATreeWithoutBenchmarks() throws Exception {
        Result r = runScript("compare", 60, dir.toString(), "noop");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("is missing: OTHER_TREE is a Weft checkout whose benchmarks are built"), r.output());
    }
}
