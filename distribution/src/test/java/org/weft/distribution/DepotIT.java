package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bundle depot across real processes: a scheduler, worker processes joining it (one later),
 * bundles dropped into the scheduler's {@code plugins/} or sent with {@code weft upload}.
 */
class DepotIT {

    private static final Duration RUN = Duration.ofMinutes(4);

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();

    /**
     * The scheduler and its workers w1 and w2 that both tests use: the bundles each test sends
     * have names of their own (a recorder plugin, squares, one needing org.nowhere), its graphs
     * keys of their own, and a worker a test starts is killed after it.
     */
    private static WeftProcess.Scheduler shared;
    private static String scheduler;
    private static WeftProcess w1;
    private static WeftProcess w2;

    @BeforeAll
    static void startCluster() throws Exception {
        shared = processes.startScheduler(processes.weft(), WeftProcess.TIMEOUT);
        scheduler = shared.address();
        w1 = startWorker(scheduler, "w1");
        w2 = startWorker(scheduler, "w2");
    }

    /** Checks that the class's scheduler and workers still run. */
    @BeforeEach
    void clusterRuns() {
        shared.alive();
        processes.alive(w1);
        processes.alive(w2);
    }

    /**
     * A worker plugin dropped into the scheduler's plugins/ reaches both running workers and a third
     * that joins later; replacing the jar while a graph runs swaps it on every worker (v1 teardown,
     * then v2 setup) and every task's arrival in memory is recorded exactly once, by v1 or v2;
     * deleting the jar tears it down everywhere.
     */
    @Test
    void aWorkerPluginInTheSchedulersPluginsReachesEveryWorkerAndAnUpdateSwapsItWithoutLosingAnEvent() throws Exception {
        Path home = processes.weft().home();
        Path events = Files.createDirectories(processes.dir().resolve("events"));
        Path build = processes.dir().resolve("build");
        Path v1 = DepotBundles.recorder(home, build, "v1", "1.0.0", events);
        Path v2 = DepotBundles.recorder(home, build, "v2", "2.0.0", events);
        Path dropped = home.resolve("plugins/recorder.jar");

        drop(v1, dropped);
        awaitLine(events, w1, "v1 setup");
        awaitLine(events, w2, "v1 setup");
        WeftProcess w3 = startWorker(scheduler, "w3");
        awaitLine(events, w3, "v1 setup");

        int n = 900;
        StringJoiner tasks = new StringJoiner(",\n");
        StringJoiner keys = new StringJoiner(", ");
        for (int i = 0; i < n; i++) {
            tasks.add("\"s-" + i + "\": {\"fn\": \"sleep\", \"args\": [30, " + i + "]}");
            keys.add("\"s-" + i + "\"");
        }
        Path graph = Files.writeString(processes.dir().resolve("sleeps.json"),
                "{\"tasks\": {\n" + tasks + "},\n \"keys\": [" + keys + "]}\n");
        WeftProcess submit = processes.start("submit", "submit", graph.toString(), "--scheduler", scheduler);
        WeftInstall.awaitTrue("tasks in memory on a worker", () -> read(events, w1).contains("v1 memory")
                || read(events, w2).contains("v1 memory") || read(events, w3).contains("v1 memory"));
        assertTrue(submit.process().isAlive(), "the graph still runs when the plugin is replaced\n" + submit.describe());
        drop(v2, dropped);
        assertEquals(0, submit.awaitExit(RUN), submit.describe());
        for (WeftProcess w : List.of(w1, w2, w3)) {
            awaitLine(events, w, "v2 setup");
        }

        Map<String, Integer> seen = new HashMap<>();
        int byV2 = 0;
        for (WeftProcess w : List.of(w1, w2, w3)) {
            List<String> lines = read(events, w).lines().toList();
            assertEquals(List.of("v1 setup"), lines.stream().filter(l -> l.endsWith(" setup")).limit(1).toList(), w.toString());
            int teardown = lines.indexOf("v1 teardown");
            int setup = lines.indexOf("v2 setup");
            assertTrue(teardown >= 0 && teardown < setup, "old teardown, then new setup on " + w + ": " + lines);
            for (String line : lines) {
                if (line.contains(" memory ")) {
                    seen.merge(line.substring(line.indexOf(" memory ") + 8), 1, Integer::sum);
                    byV2 += line.startsWith("v2 ") ? 1 : 0;
                }
            }
        }
        assertEquals(n, seen.size(), "every task's memory event was recorded");
        assertTrue(seen.values().stream().allMatch(c -> c == 1), "and none twice: " + seen);
        assertTrue(byV2 > 0, "the swap happened while tasks still finished");

        Files.delete(dropped);
        for (WeftProcess w : List.of(w1, w2, w3)) {
            awaitLine(events, w, "v2 teardown");
        }
    }

    /**
     * {@code weft upload} of a plain jar: wrapped on the scheduler, its annotated function is
     * ACTIVE on both workers and callable by name; a function nobody provides errs with the known
     * names; a bundle that does not resolve is FAILED on each worker with the missing requirement;
     * a jar without functions is refused with the reason.
     */
    @Test
    void anUploadedPlainJarsFunctionRunsOnEveryWorkerAndFailuresSayWhy() throws Exception {
        WeftInstall weft = processes.weft();
        Path build = processes.dir().resolve("build-upload");
        WeftProcess upload = processes.start(weft, "upload", "upload",
                DepotBundles.plainSquares(weft.home(), build).toString(), "--scheduler", scheduler);
        assertEquals(0, upload.awaitExit(RUN), upload.describe());
        String out = upload.stdout();
        assertTrue(out.contains("uploaded squares 1.0.0") && out.contains("wrapped from a plain jar"), upload.describe());
        assertTrue(out.contains("task functions: square"), upload.describe());
        assertTrue(Pattern.compile("(?m)^  w1 \\(tcp://127\\.0\\.0\\.1:\\d+\\): ACTIVE$").matcher(out).find(), upload.describe());
        assertTrue(Pattern.compile("(?m)^  w2 \\(tcp://127\\.0\\.0\\.1:\\d+\\): ACTIVE$").matcher(out).find(), upload.describe());

        Path graph = Files.writeString(build.resolve("squares.json"), """
                {"tasks": {"a": {"fn": "square", "args": [7]}, "b": {"fn": "cube", "args": [2]}}, "keys": ["a", "b"]}
                """);
        WeftProcess submit = processes.start(weft, "submit", "submit", graph.toString(), "--scheduler", scheduler);
        assertEquals(1, submit.awaitExit(RUN), submit.describe());
        assertTrue(submit.stdout().contains("a = 49"), submit.describe());
        assertTrue(Pattern.compile("b: ERROR .*no task function named 'cube'; known functions: \\[.*square.*\\]")
                .matcher(submit.stdout()).find(), submit.describe());

        WeftProcess failed = processes.start(weft, "upload-unresolvable", "upload",
                DepotBundles.needsNowhere(build).toString(), "--scheduler", scheduler);
        assertEquals(1, failed.awaitExit(RUN), failed.describe());
        assertTrue(Pattern.compile("(?m)^  w1 \\(.*\\): FAILED: .*org\\.nowhere\\.at\\.all").matcher(failed.stdout()).find(),
                failed.describe());
        assertTrue(Pattern.compile("(?m)^  w2 \\(.*\\): FAILED: .*org\\.nowhere\\.at\\.all").matcher(failed.stdout()).find(),
                failed.describe());

        Path empty = Files.writeString(build.resolve("not-a-jar.jar"), "plain text");
        WeftProcess refused = processes.start(weft, "upload-refused", "upload", empty.toString(), "--scheduler", scheduler);
        assertEquals(1, refused.awaitExit(RUN), refused.describe());
        assertTrue(refused.stderr().contains("no class annotated @TaskFunctionName"), refused.describe());
        WeftProcess missing = processes.start(weft, "upload-missing", "upload", build.resolve("gone.jar").toString(),
                "--scheduler", scheduler);
        assertEquals(2, missing.awaitExit(RUN), missing.describe());
        assertTrue(missing.stderr().contains("no such readable file"), missing.describe());
    }

    private static WeftProcess startWorker(String scheduler, String name) throws Exception {
        // --no-nanny: the test's plugin names its record after the worker's pid, the one started here
        WeftProcess worker = processes.start(name, "worker", scheduler, "--name", name, "--nthreads", "1",
                "--no-console", "--no-nanny");
        worker.awaitLine("worker " + name + " at tcp://127\\.0\\.0\\.1:\\d+ joined " + Pattern.quote(scheduler));
        return worker;
    }

    /** Puts the jar in place in one step, as a user's {@code mv} would. */
    private static void drop(Path jar, Path target) throws Exception {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String read(Path events, WeftProcess worker) {
        Path log = events.resolve(worker.pid() + ".log");
        return Files.exists(log) ? WeftInstall.read(log) : "";
    }

    private static void awaitLine(Path events, WeftProcess worker, String line) {
        WeftInstall.awaitTrue(worker + " records '" + line + "'", () -> read(events, worker).lines().anyMatch(line::equals));
    }
}
