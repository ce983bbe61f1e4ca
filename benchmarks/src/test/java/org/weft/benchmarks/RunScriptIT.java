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

    @TempDir
    Path dir;

    private record Result(int exitCode, String output) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("weft.benchmarks.dir", ".")).resolve("run");
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("WEFT_BENCH_JAVA_OPTS", "-Xmx512m"); // small runs; the defaults pre-size 4 GiB
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("benchmarks/run " + String.join(" ", args) + " did not end: "
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheWorkloads() throws Exception {
        Result r = run("--help");
        assertEquals(0, r.exitCode(), r.output());
        for (String workload : List.of("noop", "tree", "plugins", "heap", "scale", "startup")) {
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
}
