package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster of processes from one installation: {@code weft scheduler}, two {@code weft worker}
 * processes and {@code weft submit}, each its own JVM talking over TCP on 127.0.0.1.
 */
class ClusterProcessesIT {

    private static final Duration RUN = Duration.ofMinutes(3);
    /** {@code key = value}, as weft submit prints a wanted key's result. */
    private static final Pattern RESULT = Pattern.compile("(\\S+) = (.*)");

    /** One installation for the scheduler, the workers (each its data/worker-PID) and submit. */
    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();

    /**
     * The scheduler of the tests that do not stop it, each with workers of their own names (killed
     * after the test) and a graph of its own keys.
     */
    private static WeftProcess.Scheduler shared;

    @BeforeAll
    static void startSharedScheduler() throws Exception {
        shared = processes.startScheduler(processes.weft(), WeftProcess.TIMEOUT);
    }

    /**
     * Task {@code a} can run only on worker w1 (resource A), {@code b} only on w2 (resource B):
     * {@code c = add(a, b)} needs a result from each process, wherever it runs.
     */
    @Test
    void aGraphUsesResultsFromBothWorkerProcesses() throws Exception {
        String scheduler = shared.alive();
        startWorker(scheduler, "w1", "--nthreads", "1", "--resources", "A=1");
        startWorker(scheduler, "w2", "--nthreads", "1", "--resources", "B=1");
        Path graph = Files.writeString(processes.dir().resolve("both.json"), """
                {"tasks": {
                   "a": {"fn": "inc", "args": [1], "resources": {"A": 1}},
                   "b": {"fn": "inc", "args": [10], "resources": {"B": 1}},
                   "c": {"fn": "add", "args": [{"ref": "a"}, {"ref": "b"}]},
                   "d": {"fn": "add", "args": [{"ref": "c"}, {"ref": "b"}], "resources": {"A": 1}}},
                 "keys": ["a", "b", "c", "d"]}
                """);
        WeftProcess submit = processes.start("submit", "submit", graph.toString(), "--scheduler", scheduler);
        assertEquals(0, submit.awaitExit(RUN), submit.describe());
        assertEquals(Map.of("a", "2", "b", "11", "c", "13", "d", "24"), results(submit), submit.describe());
    }

    /**
     * A worker process killed (SIGKILL) while a graph of 2 001 tasks runs: the scheduler runs its
     * tasks, and recomputes the results it held, on the other worker, and every result is right.
     * The 1 000 sleeps of 25 ms on 2 x 2 threads take at least 6.25 s, so the kill 2 s after the
     * submission is always mid-run (checked: submit is still running then).
     */
    @Test
    void aWorkerKilledMidGraphLosesNoResult() throws Exception {
        String scheduler = shared.alive();
        startWorker(scheduler, "steady", "--nthreads", "2");
        WeftProcess doomed = startWorker(scheduler, "doomed", "--nthreads", "2");
        int n = 1000;
        Path graph = SleepsGraph.write(processes.dir().resolve("big.json"), n, 25, false);

        WeftProcess submit = processes.start("submit", "submit", graph.toString(), "--scheduler", scheduler);
        Thread.sleep(2_000);
        assertTrue(submit.process().isAlive(), "the graph is still running when the worker is killed\n" + submit.describe());
        doomed.kill();

        assertEquals(0, submit.awaitExit(RUN), submit.describe());
        assertEquals(Map.of("total", String.valueOf(SleepsGraph.total(n)), "t-0", "1", "t-" + (n - 1), String.valueOf(n)),
                results(submit), submit.describe());
    }

    /**
     * A worker process stops cleanly on SIGTERM (the scheduler sees it leave); one whose scheduler
     * is gone (SIGKILL) exits with status 1 once its --reconnect-timeout has passed (15 s: it
     * bounds the first join too, which a loaded machine can slow down).
     */
    @Test
    void workerProcessesStopOnSigtermAndWhenTheirSchedulerIsGone() throws Exception {
        WeftProcess scheduler = processes.start("scheduler", "scheduler", "--port", "0", "--no-console");
        String address = scheduler.awaitLine("scheduler at (tcp://127\\.0\\.0\\.1:\\d+)").group(1);
        WeftProcess stopped = startWorker(address, "w1", "--nthreads", "1");
        WeftProcess orphan = startWorker(address, "w2", "--nthreads", "1", "--reconnect-timeout", "15s");

        stopped.terminate();
        stopped.awaitExit(Duration.ofSeconds(30));
        Path log = processes.weft().home().resolve("data/worker-" + stopped.pid() + "/log/weft.log");
        assertTrue(WeftInstall.read(log).contains("Weft stopped"), WeftInstall.read(log));
        assertTrue(!WeftInstall.read(log).contains("did not stop within"), WeftInstall.read(log));

        scheduler.kill();
        assertEquals(1, orphan.awaitExit(Duration.ofSeconds(90)), "lost its scheduler: " + orphan.describe());
    }


    /**
     * Starts a worker named {@code name} and waits until it announces it joined {@code scheduler}.
     * Without a nanny: these tests kill and stop the worker process itself (NannyIT tests nannies).
     */
    private WeftProcess startWorker(String scheduler, String name, String... options) throws Exception {
        String[] args = new String[options.length + 6];
        args[0] = "worker";
        args[1] = scheduler;
        args[2] = "--name";
        args[3] = name;
        args[4] = "--no-console";
        args[5] = "--no-nanny";
        System.arraycopy(options, 0, args, 6, options.length);
        WeftProcess worker = processes.start(name, args);
        worker.awaitLine("worker " + Pattern.quote(name) + " at tcp://127\\.0\\.0\\.1:\\d+ joined " + Pattern.quote(scheduler));
        return worker;
    }

    private static Map<String, String> results(WeftProcess submit) {
        Map<String, String> results = new LinkedHashMap<>();
        submit.stdout().lines().map(RESULT::matcher).filter(Matcher::matches).forEach(m -> results.put(m.group(1), m.group(2)));
        return results;
    }
}
