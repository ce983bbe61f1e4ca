package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on a real terminal (a pty from util-linux {@code script}): JLine must find a system
 * terminal, not fall back to its dumb terminal, and run what is typed; Ctrl-D stops Weft.
 */
class TerminalConsoleIT {

    @TempDir
    Path dir;

    @Test
    void consoleOnAPtyGetsASystemTerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is needed for a pty");
        WeftInstall weft = WeftInstall.unpack(dir);
        Process p = new ProcessBuilder("/usr/bin/script", "-qfec", weft.home().resolve("bin/weft") + " local", "/dev/null")
                .directory(weft.workDir().toFile()).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> {
            try {
                byte[] buffer = new byte[4096];
                for (int n; (n = p.getInputStream().read(buffer)) > 0; ) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.io.IOException e) {
                output.append("[read failed: ").append(e).append(']');
            }
        });
        reader.start();
        try {
            // type as a person would: after the prompt, one command, then Ctrl-D once it answered
            WeftInstall.awaitTrue("the console prompt", () -> output.indexOf("Ctrl-D to stop") >= 0);
            p.getOutputStream().write("weft:status\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            WeftInstall.awaitTrue("weft:status to answer", () -> output.indexOf("transitions:") >= 0);
            p.getOutputStream().write(4);
            p.getOutputStream().flush();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "weft did not stop at Ctrl-D: " + output);
        } finally {
            p.destroyForcibly();
        }
        reader.join(10_000);
        String text = output.toString();
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("workers: 2"), text);
        assertFalse(text.contains("dumb terminal"), text);
        assertFalse(WeftInstall.read(weft.home().resolve("data/log/weft.log")).contains("dumb terminal"));
    }
}
