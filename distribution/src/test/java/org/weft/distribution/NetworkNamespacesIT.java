package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster on four simulated hosts ({@link SimulatedHosts}: Linux network namespaces on a bridge,
 * addresses from 198.18.0.0/15, no route out): the scheduler, two workers and the client
 * ({@code weft submit}) each on its own host, each process started with {@code ip netns exec}
 * and listening on its host's address. One worker's cable is pulled while a graph runs: the
 * scheduler drops it after the worker TTL, the graph completes on the other worker with every
 * result right, and once the cable is back the worker joins again and runs tasks only it can run.
 * Needs CAP_NET_ADMIN (root): elsewhere it is skipped, saying why.
 */
class NetworkNamespacesIT {

    /** Short, so the test stays short; well above the worker's heartbeat (every second or so) on a loaded machine. */
    private static final long WORKER_TTL_MILLIS = 5_000;
    private static final Duration RUN = Duration.ofMinutes(2);
    private static final Pattern RESULT = Pattern.compile("(\\S+) = (.*)");

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();

    private static SimulatedHosts hosts;

    @BeforeAll
    static void buildTheNetwork() throws Exception {
        try {
            hosts = SimulatedHosts.create("sched", "w1", "w2", "client");
        } catch (SimulatedHosts.Unavailable e) {
            Assumptions.abort("network namespaces cannot be made here, so the simulated hosts cannot either: " + e.getMessage());
        }
    }

    @AfterAll
    static void removeTheNetwork() {
        if (hosts != null) {
            hosts.close(); // after the Group has killed every process of the last test
        }
    }

    @Test
    void aWorkerCutOffMidGraphIsDroppedTheGraphCompletesAndTheWorkerRejoins() throws Exception {
        for (String host : new String[] {"sched", "w1", "w2", "client"}) {
            assertFalse(hosts.routes(host).contains("default"), "no route out of " + host + ": " + hosts.routes(host));
        }
        Files.writeString(processes.weft().home().resolve("etc/org.weft.scheduler.cfg"),
                "\nworkerTtlMillis = " + WORKER_TTL_MILLIS + "\n", StandardOpenOption.APPEND);
        String at = hosts.address("sched");
        String scheduler = "tcp://" + at + ":8786";
        // all three at once, on a fixed port: the workers try to join every second until it listens
        WeftProcess sched = processes.startWrapped(hosts.on("sched"), "scheduler",
                "scheduler", "--host", at, "--port", "8786", "--no-console");
        WeftProcess w1 = startWorker(scheduler, "w1", "--resources", "A=1");
        WeftProcess w2 = startWorker(scheduler, "w2", "--resources", "B=1");
        sched.awaitLine("scheduler at " + Pattern.quote(scheduler));
        w1.awaitLine(joined("w1", scheduler));
        String w2Address = w2.awaitLine(joined("w2", scheduler)).group(1);

        int n = 300;
        Path graph = SleepsGraph.write(processes.dir().resolve("sleeps.json"), n, 50, true);
        WeftProcess submit = processes.startWrapped(hosts.on("client"), "submit",
                "submit", graph.toString(), "--scheduler", scheduler);
        awaitStderr(submit, "(?m)^[1-9]\\d% .*"); // a progress line between 10 and 99 %: the graph runs
        hosts.cut("w2");

        // w2 holds results the sum needs (half of those finished so far) and runs some of its
        // inputs: the graph cannot finish until the scheduler has dropped w2 and run them again
        Path log = processes.weft().home().resolve("data/log/weft.log");
        String removed = "worker " + Pattern.quote(w2Address) + " removed: no heartbeat within the worker TTL of "
                + WORKER_TTL_MILLIS + " ms";
        awaitLog(log, removed, 1);
        assertTrue(submit.process().isAlive(), "the graph still runs when w2 is dropped\n" + submit.describe());
        hosts.restore("w2");

        assertEquals(0, submit.awaitExit(RUN), submit.describe());
        Map<String, String> results = results(submit);
        assertEquals(n + 1, results.size(), submit.describe());
        assertEquals(String.valueOf(SleepsGraph.total(n)), results.get("total"), submit.describe());
        assertEquals("1", results.get("t-0"));
        assertEquals(String.valueOf(n), results.get("t-" + (n - 1)));

        // the same process joins again (its scheduler link is gone: it tries until its --reconnect-timeout)
        awaitLog(log, "worker " + Pattern.quote(w2Address) + " \\(w2\\) joined from .*", 2);
        assertTrue(w2.process().isAlive(), w2.describe());
        Path onlyW2 = Files.writeString(processes.dir().resolve("only-w2.json"), """
                {"tasks": {"b": {"fn": "add", "args": [40, 2], "resources": {"B": 1}}}, "keys": ["b"]}
                """);
        WeftProcess again = processes.startWrapped(hosts.on("client"), "submit-b",
                "submit", onlyW2.toString(), "--scheduler", scheduler, "--timeout", "60s");
        assertEquals(0, again.awaitExit(RUN), again.describe() + "\n" + w2.describe());
        assertEquals(Map.of("b", "42"), results(again));
    }

    /**
     * Starts worker {@code host} on its own host, serving its results on that host's address;
     * without a nanny: the worker rejoins by itself, and a nanny's start would double the time to
     * the first join on a loaded machine (NannyIT tests nannies).
     */
    private WeftProcess startWorker(String scheduler, String host, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("worker", scheduler, "--name", host, "--host", hosts.address(host),
                "--nthreads", "2", "--reconnect-timeout", "60s", "--no-console", "--no-nanny"));
        args.addAll(List.of(options));
        return processes.startWrapped(hosts.on(host), host, args.toArray(String[]::new));
    }

    /** A worker's joined line on its own host's address; group 1 is the worker's address. */
    private String joined(String name, String scheduler) {
        return "worker " + name + " at (tcp://" + Pattern.quote(hosts.address(name)) + ":\\d+) joined " + Pattern.quote(scheduler);
    }

    /** Waits until the process's stderr (its progress lines) has a match of {@code regex}. */
    private static void awaitStderr(WeftProcess p, String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + RUN.toNanos();
        while (!pattern.matcher(p.stderr()).find()) {
            assertTrue(p.process().isAlive(), p + " ended before printing a match of " + regex + "\n" + p.describe());
            assertTrue(System.nanoTime() < deadline, p + " printed no match of " + regex + " within " + RUN + "\n" + p.describe());
            Thread.sleep(20);
        }
    }

    /** Waits until {@code count} lines of the log match {@code regex} (after the level and logger). */
    private static void awaitLog(Path log, String regex, int count) throws InterruptedException {
        Pattern line = Pattern.compile(".*\\] " + regex);
        long deadline = System.nanoTime() + RUN.toNanos();
        while (WeftInstall.read(log).lines().filter(l -> line.matcher(l).matches()).count() < count) {
            assertTrue(System.nanoTime() < deadline, "no " + count + " lines matching " + regex + " in " + log + " within " + RUN
                    + ":\n" + WeftInstall.read(log));
            Thread.sleep(50);
        }
    }

    private static Map<String, String> results(WeftProcess submit) {
        Map<String, String> results = new LinkedHashMap<>();
        submit.stdout().lines().map(RESULT::matcher).filter(Matcher::matches).forEach(m -> results.put(m.group(1), m.group(2)));
        return results;
    }
}
