package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code weft scheduler}, {@code weft worker} and {@code weft submit} from the command line. */
class SchedulerCommandIT {

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();
    static WeftInstall weft;
    static Path dir;

    @BeforeAll
    static void shared() {
        weft = processes.weft();
        dir = processes.dir();
    }

    /**
     * The scheduler announces where it listens, and listens there; the token given to it is never
     * printed or logged; SIGTERM stops it cleanly. Needs the scheduler runtime (weft.mode=scheduler).
     */
    @Test
    void schedulerAnnouncesItsAddressAndAcceptsConnections() throws Exception {
        String secret = "s3cret-" + System.nanoTime();
        Path token = Files.writeString(dir.resolve("announce-token.txt"), secret + "\n");
        WeftProcess scheduler = processes.start("scheduler", "scheduler", "--port", "0", "--no-console",
                "--token-file", token.toString());
        java.util.regex.Matcher line = scheduler.awaitLine("scheduler at tcp://127\\.0\\.0\\.1:(\\d+)");
        int port = Integer.parseInt(line.group(1));
        assertTrue(port > 0 && port <= 65535, line.group());
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
            assertTrue(socket.isConnected());
        }
        scheduler.terminate();
        scheduler.awaitExit(Duration.ofSeconds(30));
        String log = WeftInstall.read(weft.home().resolve("data/log/weft.log"));
        assertTrue(log.contains("Weft stopped"), log);
        assertTrue(log.contains("Announced: scheduler at tcp://127.0.0.1:" + port), log);
        for (String text : List.of(scheduler.stdout(), scheduler.stderr(), log)) {
            assertTrue(!text.contains(secret), "the token is never printed or logged:\n" + text);
        }
    }

    /** Listening beyond loopback without a token and TLS starts, with a warning on stderr. */
    @Test
    void listeningBeyondLoopbackWithoutTokenOrTlsWarns() throws Exception {
        WeftProcess scheduler = processes.start("scheduler", "scheduler", "--host", "0.0.0.0", "--port", "0",
                "--no-console");
        scheduler.awaitLine("scheduler at tcp://\\S+:\\d+");
        assertTrue(scheduler.stderr().contains("WARNING listening on 0.0.0.0 without a token and TLS"), scheduler.describe());
        scheduler.terminate();
        scheduler.awaitExit(Duration.ofSeconds(30));
    }

    @Test
    void helpListsTheCommands() throws Exception {
        WeftInstall.Finished result = weft.run(null, "--help");
        assertEquals(0, result.exitCode(), result.all());
        for (String command : List.of("local", "demo", "scheduler", "worker", "submit")) {
            assertTrue(result.stdout().lines().anyMatch(l -> l.matches("\\s+" + command + "\\s+\\S.*")),
                    command + " with its line: " + result.all());
        }
        assertTrue(result.stdout().contains("token") && result.stdout().contains("TLS"), result.all());
    }

    @Test
    void helpOfEachNewCommand() throws Exception {
        assertHelp("scheduler", "--host", "default: 127.0.0.1", "--port", "default: 8786", "--no-console",
                "--token-file", "WEFT_TOKEN", "--tls-cert", "--tls-key", "--tls-ca", "--tls-require-client-cert",
                "beyond", "scheduler at tcp://");
        assertHelp("worker", "SCHEDULER", "tcp://HOST:PORT", "--nthreads", "--name", "--resources", "--host",
                "default: 127.0.0.1", "--reconnect-timeout", "--no-console", "--token-file", "--tls-ca", "beyond",
                "data/worker-PID", "under a nanny", "--no-nanny", "--memory-limit", "80%", "--max-restarts", "default: 5",
                "data/nanny-PID", "SIGTERM");
        assertHelp("submit", "GRAPH.json", "--scheduler", "--token-file", "WEFT_TOKEN", "--tls-ca", "--tls-cert",
                "--tls-key", "--timeout", "lib/client", "Exit status: 0");
    }

    private static void assertHelp(String command, String... texts) throws Exception {
        WeftInstall.Finished result = weft.run(null, command, "--help");
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.stdout().startsWith("Usage: weft " + command), result.all());
        String words = result.stdout().replaceAll("\\s+", " "); // the help wraps at 80 columns
        for (String text : texts) {
            assertTrue(words.contains(text), command + " --help says '" + text + "': " + result.all());
        }
    }

    /**
     * A bad command line of each command, through {@code bin/weft}: status 2, the reason and the
     * command's usage, and never the token. The launcher's test {@code BadCommandLinesTest} checks
     * every rule of every command the same way, in one JVM.
     */
    @Test
    void badCommandLinesExitWithStatus2AndSayWhy() throws Exception {
        Path token = Files.writeString(dir.resolve("token.txt"), "s3cret\n");
        Path graph = Files.writeString(dir.resolve("graph.json"), "{\"tasks\": {}, \"keys\": []}");
        String[][] cases = {
            {"scheduler", "--port", "70000", "--port must be from 0"},
            {"worker", "tcp://127.0.0.1:8786", "--tls-key", token.toString(), "--tls-cert and --tls-key go together"},
            {"submit", graph.toString(), "--scheduler", "127.0.0.1:8786", "--scheduler must be tcp://HOST:PORT"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOf(c, c.length - 1);
            String expected = c[c.length - 1];
            WeftInstall.Finished result = weft.run(null, args);
            String what = String.join(" ", args) + ": " + result.all();
            assertEquals(2, result.exitCode(), what);
            assertTrue(result.stderr().contains(expected), "says '" + expected + "': " + what);
            assertTrue(result.stderr().contains("Usage: weft " + args[0]), what);
            assertTrue(!result.all().contains("s3cret"), "the token is never printed: " + what);
        }
    }

    /** submit loads the client from lib/client/: without it, it says where it looked. */
    @Test
    void submitWithoutClientJarsSaysSo() throws Exception {
        Path graph = Files.writeString(dir.resolve("g.json"), "{\"tasks\": {\"a\": {\"fn\": \"inc\", \"args\": [1]}}, \"keys\": [\"a\"]}");
        Path moved = Files.createDirectories(dir.resolve("moved-client"));
        Path client = weft.home().resolve("lib/client");
        Files.move(client, moved.resolve("client"));
        try {
            WeftInstall.Finished result = weft.run(null, "submit", graph.toString(), "--scheduler", "tcp://127.0.0.1:1");
            assertEquals(1, result.exitCode(), result.all());
            assertTrue(result.stderr().contains("no client jars in " + client), result.all());
        } finally {
            Files.move(moved.resolve("client"), client);
        }
    }

    /** Each worker process keeps its own data folder, so two start from one installation (NannyIT: a nanny's). */
    @Test
    void workersOfOneInstallationEachHaveTheirOwnDataFolder() throws Exception {
        Duration wait = WeftProcess.TIMEOUT;
        WeftProcess first = processes.start("worker-a", "worker", "tcp://127.0.0.1:9", "--no-console", "--no-nanny");
        WeftProcess second = processes.start("worker-b", "worker", "tcp://127.0.0.1:9", "--no-console", "--no-nanny");
        for (WeftProcess worker : List.of(first, second)) {
            Path log = weft.home().resolve("data/worker-" + worker.pid() + "/log/weft.log");
            WeftInstall.awaitTrue(worker + " started its framework, logging to " + log,
                    () -> WeftInstall.read(log).contains("Framework started"));
            assertTrue(!worker.stderr().contains("another Weft"), worker.describe());
        }
        first.terminate();
        second.terminate();
        first.awaitExit(wait);
        second.awaitExit(wait);
    }
}
