package org.weft.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command refuses a bad command line with status 2, says why and shows its usage, and never
 * prints the token: checked on the launcher's own command line in this JVM, before anything
 * starts ({@code SchedulerCommandIT} checks a few of them through {@code bin/weft}).
 */
class BadCommandLinesTest {

    @TempDir
    Path dir;

    @Test
    void badCommandLinesExitWithStatus2AndSayWhy() throws Exception {
        Path token = Files.writeString(dir.resolve("token.txt"), "s3cret\n");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
        Path graph = Files.writeString(dir.resolve("graph.json"), "{\"tasks\": {}, \"keys\": []}");
        String[][] cases = {
            {"scheduler", "--port", "70000", "--port must be from 0"},
            {"scheduler", "--port", "-1", "--port must be from 0"},
            {"scheduler", "--port", "http", "--port"},
            {"scheduler", "--host", "", "--host must be a host name"},
            {"scheduler", "--host", "a b", "--host must be a host name"},
            {"scheduler", "--token-file", dir.resolve("missing.txt").toString(), "--token-file"},
            {"scheduler", "--token-file", empty.toString(), "is empty"},
            {"scheduler", "--tls-cert", token.toString(), "--tls-cert and --tls-key go together"},
            {"scheduler", "--tls-require-client-cert", "--tls-require-client-cert needs"},
            {"scheduler", "--frobnicate", "Unknown option: '--frobnicate'"},
            {"worker", "Missing required parameter: 'SCHEDULER'"},
            {"worker", "127.0.0.1:8786", "must be tcp://HOST:PORT"},
            {"worker", "tcp://127.0.0.1", "must be tcp://HOST:PORT"},
            {"worker", "tcp://127.0.0.1:0", "must be tcp://HOST:PORT"},
            {"worker", "tcp://127.0.0.1:99999", "must be tcp://HOST:PORT"},
            {"worker", "http://127.0.0.1:8786", "must be tcp://HOST:PORT"},
            {"worker", "tcp://127.0.0.1:8786/x", "must be tcp://HOST:PORT"},
            {"worker", "tcp://127.0.0.1:8786", "--nthreads", "0", "--nthreads must be at least 1"},
            {"worker", "tcp://127.0.0.1:8786", "--name", "two words", "--name must be a word"},
            {"worker", "tcp://127.0.0.1:8786", "--resources", "GPU=one", "--resources must be NAME=QUANTITY"},
            {"worker", "tcp://127.0.0.1:8786", "--reconnect-timeout", "soon", "--reconnect-timeout must be a duration"},
            {"worker", "tcp://127.0.0.1:8786", "--reconnect-timeout", "0", "--reconnect-timeout must be at least 1ms"},
            {"worker", "tcp://127.0.0.1:8786", "--host", "", "--host must be a host name"},
            {"worker", "tcp://127.0.0.1:8786", "--tls-key", token.toString(), "--tls-cert and --tls-key go together"},
            {"worker", "tcp://127.0.0.1:8786", "--memory-limit", "lots", "--memory-limit must be a size such as 2G"},
            {"worker", "tcp://127.0.0.1:8786", "--memory-limit", "120%", "--memory-limit as a share"},
            {"worker", "tcp://127.0.0.1:8786", "--memory-limit", "2G", "--no-nanny", "--memory-limit needs the nanny"},
            {"worker", "tcp://127.0.0.1:8786", "--max-restarts", "-1", "--max-restarts must be at least 0"},
            {"worker", "tcp://127.0.0.1:8786", "--max-restarts", "3", "--no-nanny", "--max-restarts needs the nanny"},
            {"submit", graph.toString(), "Missing required option: '--scheduler=tcp://HOST:PORT'"},
            {"submit", graph.toString(), "--scheduler", "127.0.0.1:8786", "--scheduler must be tcp://HOST:PORT"},
            {"submit", dir.resolve("missing.json").toString(), "--scheduler", "tcp://127.0.0.1:8786", "no such readable file"},
            {"submit", graph.toString(), "--scheduler", "tcp://127.0.0.1:8786", "--timeout", "1y", "--timeout must be a duration"},
            {"submit", graph.toString(), "--scheduler", "tcp://127.0.0.1:8786", "--tls-cert", token.toString(),
                "--tls-key", token.toString(), "--tls-cert and --tls-key need --tls-ca"},
        };
        for (String[] c : cases) {
            String[] args = Arrays.copyOf(c, c.length - 1);
            String expected = c[c.length - 1];
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.commandLine(args).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                    .execute(args);
            String what = String.join(" ", args) + ": " + out + err;
            assertEquals(2, code, what);
            assertTrue(err.toString().contains(expected), "says '" + expected + "': " + what);
            assertTrue(err.toString().contains("Usage: weft " + args[0]), what);
            assertFalse((out.toString() + err).contains("s3cret"), "the token is never printed: " + what);
        }
    }
}
