package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/weft worker} under its nanny, with real processes: the nanny starts the worker's
 * JVM, restarts it when it is killed, past its memory limit, when a restart-flagged nanny plugin
 * arrives, and when the scheduler restarts; SIGTERM retires the worker and ends both with status 0;
 * too many deaths in a row end the nanny with status 1 and the reason; {@code --no-nanny} runs the
 * worker alone, as before.
 */
class NannyIT {

    /** A nanny's JVM, then its worker's, then a join: more than a minute on a loaded machine. */
    private static final Duration RUN = Duration.ofMinutes(3);
    private static final String STARTED = "nanny started worker process (\\d+).*";

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();

    /**
     * The scheduler of the tests that neither restart nor reconfigure it, each with a worker of its
     * own name (killed after its test): it runs from an installation of its own, so the nanny
     * plugins other tests drop into the class's plugins/ never reach its depot.
     */
    private static WeftProcess.Scheduler shared;

    @BeforeAll
    static void startSharedScheduler() throws Exception {
        shared = processes.startScheduler(WeftInstall.unpack(Files.createDirectories(processes.dir().resolve("install-scheduler"))), RUN);
    }

    @Test
    void aWorkerKilledIsRestartedByItsNannyAndRejoins() throws Exception {
        String scheduler = shared.alive();
        WeftProcess nanny = startWorker(scheduler, "killed");
        long first = workerPid(nanny, 1);
        assertNotEquals(nanny.pid(), first, "the worker is a process of its own");
        assertEquals(nanny.pid(), ProcessHandle.of(first).orElseThrow().parent().orElseThrow().pid(), "the nanny's child");

        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // SIGKILL
        nanny.awaitLine("nanny: worker process " + first + " exited with status 137 after .*; restarting in 1\\.0 s "
                + "\\(restart 1 in a row, at most 5\\)", RUN);
        String fresh = awaitJoined(nanny, "killed", scheduler, 2);
        assertNotEquals(first, workerPid(nanny, 2));
        assertEquals("2", processes.submitInc(scheduler, fresh), "the fresh worker runs tasks");
    }

    @Test
    void sigtermToTheNannyRetiresTheWorkerAndBothExitWithStatusZero() throws Exception {
        String scheduler = shared.alive();
        WeftProcess nanny = startWorker(scheduler, "retired");
        long worker = workerPid(nanny, 1);
        ProcessHandle workerProcess = ProcessHandle.of(worker).orElseThrow();

        nanny.terminate();
        assertEquals(0, nanny.awaitExit(RUN), nanny.describe());
        workerProcess.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        String workerLog = WeftInstall.read(processes.weft().home().resolve("data/worker-" + worker + "/log/weft.log"));
        assertTrue(workerLog.contains("worker retired retiring"), workerLog);
        assertTrue(workerLog.contains("Weft stopped"), workerLog);
        String nannyLog = WeftInstall.read(processes.weft().home().resolve("data/nanny-" + nanny.pid() + "/log/weft.log"));
        assertTrue(nannyLog.contains("stopping worker process " + worker + " (SIGTERM: it retires)"), nannyLog);
        assertFalse(nanny.stdout().contains("restarting in"), nanny.describe());
    }

    /** A task allocating 1.5 GB passes the worker's 1 GB limit: the nanny kills the worker, says why, and starts a fresh one. */
    @Test
    void aWorkerPastItsMemoryLimitIsRestarted() throws Exception {
        String scheduler = shared.alive();
        WeftProcess nanny = startWorker(scheduler, "big", "--memory-limit", "1G");
        long first = workerPid(nanny, 1);
        Path graph = Files.writeString(processes.dir().resolve("big.json"), """
                {"tasks": {
                   "big": {"fn": "bytes", "args": [1500000000]},
                   "held": {"fn": "sleep", "args": [60000, {"ref": "big"}]}},
                 "keys": ["held"]}
                """);
        processes.start("submit", "submit", graph.toString(), "--scheduler", scheduler);
        nanny.awaitLine("nanny: worker process " + first + " uses \\d+\\.\\d [MG]iB, over its memory limit of 953\\.7 MiB: killing it", RUN);
        nanny.awaitLine("nanny: worker process " + first + " exited with status 137 after .* \\(over its memory limit: .*\\); "
                + "restarting in 1\\.0 s.*", RUN);
        awaitJoined(nanny, "big", scheduler, 2);
    }

    @Test
    void aWorkerThatKeepsDyingIsGivenUpOnWithAClearErrorAndStatusOne() throws Exception {
        String scheduler = shared.alive();
        // 10 MB: every worker JVM passes it at once
        WeftProcess nanny = processes.start("dying", "worker", scheduler, "--name", "dying", "--no-console",
                "--memory-limit", "10M", "--max-restarts", "1");
        assertEquals(1, nanny.awaitExit(RUN), nanny.describe());
        assertEquals(2, count(nanny.stdout(), STARTED), nanny.describe());
        assertTrue(nanny.stdout().contains("restarting in 1.0 s (restart 1 in a row, at most 1)"), nanny.describe());
        assertTrue(nanny.stderr().contains("weft: nanny: gave up after 1 restart(s): the worker process died 2 time(s) in a row"),
                nanny.describe());
    }

    @Test
    void aRestartFlaggedNannyPluginRestartsItsWorker() throws Exception {
        String scheduler = startScheduler();
        WeftProcess nanny = startWorker(scheduler, "w1");
        long first = workerPid(nanny, 1);
        Path jar = processes.weft().home().resolve("plugins/weft-example-nanny-restart.jar");
        try {
            Files.copy(Path.of(System.getProperty("weft.testPlugins"), "weft-example-nanny-restart.jar"), jar,
                    StandardCopyOption.REPLACE_EXISTING);
            nanny.awaitLine("nanny: restarting worker process " + first
                    + ": nanny plugin 'restart-on-install' asks for a restart after its setup", RUN);
            awaitJoined(nanny, "w1", scheduler, 2);
            assertNotEquals(first, workerPid(nanny, 2));
            String nannyLog = WeftInstall.read(processes.weft().home().resolve("data/nanny-" + nanny.pid() + "/log/weft.log"));
            assertTrue(nannyLog.contains("restart-on-install set up on the nanny of worker w1 (process " + first
                    + ", started 1 time(s)) of " + scheduler), nannyLog);
        } finally {
            Files.deleteIfExists(jar);
        }
    }

    /**
     * weft:restart on the scheduler's console: the worker under a nanny is replaced by a fresh
     * process, and the restart returns only once that one has joined again with the depot's worker
     * plugin set up in it (as Dask's restart waits for its workers), so a task submitted right after
     * runs on it; the worker run with --no-nanny is emptied in place (same process, plugin kept). A
     * nanny that cannot start a fresh worker (stopped with SIGSTOP) makes the restart fail after its
     * timeout, naming the worker; once the nanny runs again, its worker joins.
     */
    @Test
    void aSchedulerRestartWaitsForTheFreshWorkersOfNanniesAndResetsTheOthersInPlace() throws Exception {
        Path events = Files.createDirectories(processes.dir().resolve("events"));
        Path recorder = DepotBundles.recorder(processes.weft().home(), processes.dir().resolve("build"), "v1", "1.0.0", events);
        Files.copy(recorder, processes.weft().home().resolve("plugins/recorder.jar")); // in the depot from the start
        WeftProcess schedulerProcess = processes.startWithInput("scheduler", "scheduler", "--port", "0");
        // the console's prompt may come first on the line
        String scheduler = schedulerProcess.awaitLine(".*scheduler at (tcp://127\\.0\\.0\\.1:\\d+)", RUN).group(1);
        WeftProcess nanny = startWorker(scheduler, "w1");
        long first = workerPid(nanny, 1);
        WeftProcess alone = startWorker(scheduler, "w2", "--no-nanny");
        assertFalse(alone.stdout().contains("nanny"), alone.describe());
        assertTrue(Files.isDirectory(processes.weft().home().resolve("data/worker-" + alone.pid())), "the worker is this process");
        awaitRecorded(events, first, "v1 setup");

        schedulerProcess.type("weft:restart\n");
        schedulerProcess.awaitLine(".*restarted: \\d+ task\\(s\\) cleared, 2 worker\\(s\\) reset; 1 under nannies came back "
                + "as fresh processes: w1", RUN);
        assertTrue(nanny.stdout().contains("nanny: worker process " + first + " exited with status 75 after "), nanny.describe());
        long second = workerPid(nanny, 2);
        // no wait from here: the fresh worker has joined, with the depot's plugin set up, before the restart returned
        String fresh = awaitJoined(nanny, "w1", scheduler, 2);
        assertEquals("2", processes.submitInc(scheduler, fresh), "a task for the fresh worker runs there at once");
        awaitRecorded(events, second, "v1 memory a"); // the depot's plugin in the fresh process saw the task
        List<String> recorded = WeftInstall.read(events.resolve(second + ".log")).lines().toList();
        assertEquals("v1 setup", recorded.get(0), "set up there before the task: " + recorded);
        assertTrue(alone.process().isAlive(), "the worker without a nanny stays: " + alone.describe());
        assertEquals(List.of("v1 setup"), WeftInstall.read(events.resolve(alone.pid() + ".log")).lines()
                .filter(l -> l.endsWith("setup") || l.endsWith("teardown")).toList(), "w2's plugin stays as it was");

        signal("STOP", nanny.pid()); // the nanny cannot start a fresh worker
        try {
            schedulerProcess.type("weft:restart 2\n");
            schedulerProcess.awaitLine(".*restarted: \\d+ task\\(s\\) cleared, but waited 2\\.0 s for 1 worker\\(s\\) under "
                    + "nannies to come back after the restart; 0 did, 1 did not: w1 \\(" + Pattern.quote(fresh) + "\\).*", RUN);
        } finally {
            signal("CONT", nanny.pid());
        }
        awaitJoined(nanny, "w1", scheduler, 3);

        alone.kill();
        assertEquals(137, alone.process().exitValue(), "nothing restarts a worker without a nanny");
    }

    /**
     * Nanny plugins from the scheduler's depot, with real processes: a bundle providing a
     * NannyPlugin dropped into the scheduler's plugins/ reaches the running nanny, and one that
     * starts later, where it is set up before its first worker; weft:bundles lists it on each
     * nanny; a restart-flagged one restarts each nanny's worker after its setup; deleting the jar
     * tears it down on every nanny. The nannies run from an installation of their own, so the
     * scheduler's plugins/ is not theirs.
     */
    @Test
    void nannyPluginsInTheSchedulersDepotReachEveryNannyRestartWhenFlaggedAndAreTornDownWhenRemoved() throws Exception {
        WeftInstall nannies = WeftInstall.unpack(Files.createDirectories(processes.dir().resolve("install-nannies")));
        Path events = Files.createDirectories(processes.dir().resolve("nanny-events"));
        Path build = processes.dir().resolve("build-nanny-plugins");
        Path watch = DepotBundles.nannyRecorder(processes.weft().home(), build, "watch", false, events);
        Path renew = DepotBundles.nannyRecorder(processes.weft().home(), build, "renew", true, events);
        Path watchJar = processes.weft().home().resolve("plugins/nanny-watch.jar");
        Path renewJar = processes.weft().home().resolve("plugins/nanny-renew.jar");
        try {
            WeftProcess schedulerProcess = processes.startWithInput("scheduler", "scheduler", "--port", "0");
            String scheduler = schedulerProcess.awaitLine(".*scheduler at (tcp://127\\.0\\.0\\.1:\\d+)", RUN).group(1);
            WeftProcess n1 = startWorker(nannies, scheduler, "w1");
            long w1 = workerPid(n1, 1);
            drop(watch, watchJar);
            awaitRecorded(events, n1.pid(), "watch setup starts=1");
            WeftProcess n2 = startWorker(nannies, scheduler, "w2");
            awaitRecorded(events, n2.pid(), "watch setup starts=0"); // set up before its first worker started
            long w2 = workerPid(n2, 1);
            schedulerProcess.type("weft:bundles\n");
            for (String worker : List.of("w1", "w2")) {
                schedulerProcess.awaitLine(".*org\\.example\\.nanny\\.watch .*nanny of " + worker
                        + " \\(nanny-\\d+-[0-9a-f]{8}\\)\\s+ACTIVE", RUN);
            }

            drop(renew, renewJar);
            for (WeftProcess nanny : List.of(n1, n2)) {
                long first = nanny == n1 ? w1 : w2;
                nanny.awaitLine("nanny: restarting worker process " + first
                        + ": nanny plugin 'renew' asks for a restart after its setup", RUN);
                awaitJoined(nanny, nanny == n1 ? "w1" : "w2", scheduler, 2);
                assertNotEquals(first, workerPid(nanny, 2));
            }

            Files.delete(watchJar);
            for (WeftProcess nanny : List.of(n1, n2)) {
                awaitRecorded(events, nanny.pid(), "watch teardown");
                assertFalse(WeftInstall.read(events.resolve(nanny.pid() + ".log")).contains("renew teardown"),
                        "only the removed plugin is torn down");
            }
            assertEquals(1, count(n1.stdout(), "nanny: restarting worker process .*"), "one restart, for renew: " + n1.describe());
        } finally {
            Files.deleteIfExists(watchJar); // the other tests' nannies read this plugins/
            Files.deleteIfExists(renewJar);
        }
    }

    /** Puts the jar in place in one step, as a user's {@code mv} would. */
    private static void drop(Path jar, Path target) throws Exception {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    // ---------------------------------------------------------------- helpers

    /** Waits until the depot's recorder plugin in worker process {@code pid} has written {@code line}. */
    private static void awaitRecorded(Path events, long pid, String line) {
        Path log = events.resolve(pid + ".log");
        WeftInstall.awaitTrue("worker process " + pid + " records '" + line + "'",
                () -> WeftInstall.read(log).lines().anyMatch(line::equals));
    }

    private String startScheduler() throws Exception {
        WeftProcess scheduler = processes.start("scheduler", "scheduler", "--port", "0", "--no-console");
        return scheduler.awaitLine("scheduler at (tcp://127\\.0\\.0\\.1:\\d+)", RUN).group(1);
    }

    private WeftProcess startWorker(String scheduler, String name, String... options) throws Exception {
        return startWorker(processes.weft(), scheduler, name, options);
    }

    private WeftProcess startWorker(WeftInstall weft, String scheduler, String name, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("worker", scheduler, "--name", name, "--no-console"));
        args.addAll(List.of(options));
        WeftProcess worker = processes.start(weft, name, args.toArray(String[]::new));
        awaitJoined(worker, name, scheduler, 1);
        return worker;
    }

    /** @return the address of the worker that joined the {@code times}th time */
    private static String awaitJoined(WeftProcess worker, String name, String scheduler, int times) throws InterruptedException {
        return worker.awaitLines("worker " + Pattern.quote(name) + " at (tcp://127\\.0\\.0\\.1:\\d+) joined "
                + Pattern.quote(scheduler), times, RUN).get(times - 1).group(1);
    }

    /** The process id of the {@code n}th worker process the nanny started. */
    private static long workerPid(WeftProcess nanny, int n) throws InterruptedException {
        List<Matcher> started = nanny.awaitLines(STARTED, n, RUN);
        return Long.parseLong(started.get(n - 1).group(1));
    }

    private static long count(String text, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return text.lines().filter(l -> pattern.matcher(l).matches()).count();
    }
}
