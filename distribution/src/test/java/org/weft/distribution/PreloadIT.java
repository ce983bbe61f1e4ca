package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Preloads as a user runs them: {@code bin/weft scheduler --preload JAR --print-count} (the seed's
 * example, {@code examples/scheduler-setup}), a JShell snippet, {@code etc/preload.properties}, a
 * worker's preload, and preloads that fail: the process exits 1 with the preload's name and never
 * listens or joins.
 */
class PreloadIT {

    /** A worker under its nanny joins after two JVMs' starts: more than a minute on a loaded machine (as in NannyIT). */
    private static final Duration UNDER_A_NANNY = Duration.ofMinutes(3);

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();
    static WeftInstall weft;
    static String example;

    @BeforeAll
    static void shared() {
        weft = processes.weft();
        Path plugins = Path.of(System.getProperty("weft.testPlugins", "target/test-plugins"));
        example = plugins.resolve("weft-example-scheduler-setup.jar").toAbsolutePath().toString();
        assertTrue(Files.isRegularFile(Path.of(example)), "the example preload is built: " + example);
    }

    private static int port(Matcher schedulerLine) {
        return Integer.parseInt(schedulerLine.group(1));
    }

    /** The seed's example: the preload's plugin prints each worker that joins and, with --print-count, the total. */
    @Test
    void theSchedulersPreloadPrintsEachAddedWorkerWithTheCount() throws Exception {
        WeftProcess scheduler = processes.start("scheduler", "scheduler", "--port", "0", "--no-console",
                "--preload", example, "--print-count");
        int port = port(scheduler.awaitLine("scheduler at tcp://127\\.0\\.0\\.1:(\\d+)"));
        String address = "tcp://127.0.0.1:" + port;
        WeftProcess first = processes.start("worker-1", "worker", address, "--nthreads", "1", "--no-console", "--no-nanny");
        String firstAddress = first.awaitLine("worker \\S+ at (tcp://\\S+) joined .*", UNDER_A_NANNY).group(1);
        scheduler.awaitLine("Added a new worker at: " + java.util.regex.Pattern.quote(firstAddress));
        scheduler.awaitLine("Total workers: 1");
        WeftProcess second = processes.start("worker-2", "worker", address, "--nthreads", "1", "--no-console", "--no-nanny");
        String secondAddress = second.awaitLine("worker \\S+ at (tcp://\\S+) joined .*", UNDER_A_NANNY).group(1);
        scheduler.awaitLine("Added a new worker at: " + java.util.regex.Pattern.quote(secondAddress));
        scheduler.awaitLine("Total workers: 2");
        assertTrue(scheduler.stdout().contains("1 preload"), "the banner counts it: " + scheduler.describe());

        scheduler.terminate();
        scheduler.awaitExit(Duration.ofSeconds(60));
        String log = WeftInstall.read(weft.home().resolve("data/log/weft.log"));
        assertTrue(log.contains("preload " + example + " set up on the scheduler"), log);
        assertTrue(log.contains("scheduler plugin 'print-workers' added"), log);
        assertTrue(log.contains("preload " + example + " torn down"), log);
    }

    /** weft local: the preload's plugin is added before the local workers join, so it prints both. */
    @Test
    void weftLocalRunsTheSchedulersPreloadBeforeItsWorkersJoin() throws Exception {
        WeftInstall.Finished local = weft.run("weft:plugins\n", "local", "--workers", "2", "--threads", "1",
                "--preload", example, "--print-count");
        assertEquals(0, local.exitCode(), local.all());
        assertEquals(2, local.stdout().lines().filter(l -> l.startsWith("Added a new worker at: inproc://")).count(), local.all());
        assertTrue(local.stdout().contains("Total workers: 2") && local.stdout().contains("print-workers"), local.all());
    }

    /**
     * A preload that fails stops the scheduler before it listens: exit status 1, its name in the
     * error, and the port it was given never accepts a connection while the process runs.
     */
    @Test
    void aFailingPreloadStopsTheSchedulerNamingItWithNoPortOpen() throws Exception {
        String[][] cases = {
            {"com.example.MissingSetup", "preload com.example.MissingSetup: no installed bundle holds class com.example.MissingSetup"},
            {"throw new IllegalStateException(\"no GPU here\");", "setup failed: the snippet threw java.lang.IllegalStateException: no GPU here"},
            {example, "--print-cont", "preload " + example + ": bad options [--print-cont]: Unknown option: '--print-cont'"},
        };
        for (String[] c : cases) {
            int port = freePort();
            List<String> args = new java.util.ArrayList<>(List.of("scheduler", "--port", String.valueOf(port), "--no-console",
                    "--preload", c[0]));
            args.addAll(List.of(c).subList(1, c.length - 1));
            WeftProcess scheduler = processes.start("failing", args.toArray(String[]::new));
            while (scheduler.process().isAlive()) {
                assertFalse(accepts(port), "nothing listens on " + port + " while the failing preload stops the start: "
                        + scheduler.describe());
                Thread.sleep(100);
            }
            assertEquals(1, scheduler.awaitExit(Duration.ofSeconds(60)), scheduler.describe());
            String expected = c[c.length - 1];
            assertTrue(scheduler.stderr().contains(expected), "stderr says '" + expected + "': " + scheduler.describe());
            assertTrue(scheduler.stderr().contains("the scheduler does not start"), scheduler.describe());
            assertFalse(scheduler.stdout().contains("scheduler at"), scheduler.describe());
            assertFalse(scheduler.stdout().contains("ready in"), "no ready banner: " + scheduler.describe());
        }
    }

    /** A snippet runs in the node's own JVM, before the scheduler announces where it listens. */
    @Test
    void aJShellSnippetRunsInTheNodeBeforeItListens() throws Exception {
        WeftProcess scheduler = processes.start("snippet", "scheduler", "--port", "0", "--no-console", "--preload",
                "String who = \"pid \" + ProcessHandle.current().pid(); System.out.println(\"snippet ran in \" + who);");
        scheduler.awaitLine("scheduler at tcp://127\\.0\\.0\\.1:(\\d+)");
        List<String> lines = scheduler.stdout().lines().toList();
        int snippet = lines.indexOf("snippet ran in pid " + scheduler.pid());
        assertTrue(snippet >= 0, "the snippet printed in the scheduler's JVM: " + scheduler.describe());
        assertTrue(snippet < lines.indexOf(lines.stream().filter(l -> l.startsWith("scheduler at")).findFirst().orElseThrow()),
                "before the scheduler listened: " + scheduler.describe());
    }

    /**
     * etc/preload.properties gives the scheduler its preloads and each its own arguments; a
     * worker's preload runs in the worker, and one that adds a scheduler plugin there stops it
     * before it joins; weft submit runs the client's preloads, and stops on one not found.
     */
    @Test
    void configuredPreloadsAndAWorkersPreloads() throws Exception {
        Path config = weft.home().resolve("etc/preload.properties");
        String shipped = Files.readString(config);
        try {
            Files.writeString(config, shipped + "\nscheduler.preload.1 = " + example + "\nscheduler.preload-argv.1 = --print-count\n"
                    + "scheduler.preload.2 = System.out.println(\"second preload\");\n");
            WeftProcess scheduler = processes.start("configured", "scheduler", "--port", "0", "--no-console");
            String address = "tcp://127.0.0.1:" + port(scheduler.awaitLine("scheduler at tcp://127\\.0\\.0\\.1:(\\d+)"));
            assertTrue(scheduler.stdout().contains("second preload"), scheduler.describe());

            WeftProcess refused = processes.start("worker-refused", "worker", address, "--no-console", "--no-nanny", "--preload",
                    example, "--print-count");
            assertEquals(1, refused.awaitExit(Duration.ofSeconds(60)), refused.describe());
            assertTrue(refused.stderr().contains("preload " + example + ": setup failed: a scheduler plugin can be added only"
                    + " by a scheduler's preload; this is a worker's; the worker does not start"), refused.describe());
            assertFalse(refused.stdout().contains("joined"), refused.describe());

            WeftProcess worker = processes.start("worker", "worker", address, "--no-console", "--preload",
                    "System.out.println(\"worker preload ran\");");
            worker.awaitLine("worker \\S+ at \\S+ joined .*", UNDER_A_NANNY);
            assertTrue(worker.stdout().contains("worker preload ran"), worker.describe());
            scheduler.awaitLine("Total workers: 1");
            assertFalse(scheduler.stdout().contains("Total workers: 2"), "the refused worker never joined: " + scheduler.describe());

            // weft submit is a client: it runs client.preload.N once connected
            Path graph = Files.writeString(processes.dir().resolve("graph.json"),
                    "{\"tasks\": {\"a\": {\"fn\": \"inc\", \"args\": [41]}}, \"keys\": [\"a\"]}");
            Files.writeString(config, shipped + "\nclient.preload.1 = System.out.println(\"client preload ran\");\n");
            WeftInstall.Finished submitted = weft.run(null, "submit", graph.toString(), "--scheduler", address);
            assertEquals(0, submitted.exitCode(), submitted.all());
            assertTrue(submitted.stdout().contains("client preload ran") && submitted.stdout().contains("a = 42"), submitted.all());
            Files.writeString(config, shipped + "\nclient.preload.1 = com.example.ClientSetup\n");
            WeftInstall.Finished refused2 = weft.run(null, "submit", graph.toString(), "--scheduler", address);
            assertEquals(1, refused2.exitCode(), refused2.all());
            assertTrue(refused2.stderr().contains("preload com.example.ClientSetup: class com.example.ClientSetup not found"
                    + " on the class path; the client does not connect"), refused2.all());
        } finally {
            Files.writeString(config, shipped);
        }
    }

    @Test
    void extraOptionsWithoutAPreloadAreRefusedAndHelpExplainsPreloads() throws Exception {
        WeftInstall.Finished noPreload = weft.run(null, "scheduler", "--print-count");
        assertEquals(2, noPreload.exitCode(), noPreload.all());
        assertTrue(noPreload.stderr().contains("Unknown option: '--print-count'"), noPreload.all());
        for (String command : List.of("scheduler", "worker", "local")) {
            WeftInstall.Finished help = weft.run(null, command, "--help");
            String words = help.stdout().replaceAll("\\s+", " ");
            assertTrue(words.contains("--preload=PRELOAD") && words.contains("Options this command does not know go to the preload")
                    && words.contains("etc/preload.properties"), command + " --help: " + help.all());
            if (command.equals("worker")) {
                assertTrue(words.contains("--preload-nanny=PRELOAD"), help.all());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
