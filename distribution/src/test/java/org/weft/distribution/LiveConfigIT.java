package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved change to {@code etc/org.weft.scheduler.cfg} applies to a running {@code bin/weft local}:
 * what can change at run time does, and is logged with old and new values; a malformed value is
 * rejected naming key and value, and the running value stays; a key that needs a restart says so.
 */
class LiveConfigIT {

    private static final Pattern STEALING_ACTIVE = Pattern.compile("(?m)^stealing\\s.*\\sACTIVE\\s");
    private static final Pattern STEALING_CLOSED = Pattern.compile("(?m)^stealing\\s.*\\sCLOSED\\s");

    @TempDir
    Path dir;

    private static void append(WeftInstall weft, String lines) throws Exception {
        Files.writeString(weft.home().resolve("etc/org.weft.scheduler.cfg"), "\n" + lines + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static String log(WeftInstall weft) {
        return WeftInstall.read(weft.home().resolve("data/log/weft.log"));
    }

    @Test
    void workStealingTurnedOffOnARunningSchedulerAndAMalformedValueRejected() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        try (WeftInstall.Running running = weft.start("local", "--workers", "2")) {
            running.send("weft:plugins");
            running.awaitStdout("stealing listed ACTIVE", out -> STEALING_ACTIVE.matcher(out).find());

            append(weft, "workStealing = false\nworkerSaturation = lots\nvalidate = true");
            WeftInstall.awaitTrue("the change applied", () -> log(weft).contains(
                    "org.weft.scheduler: applied to the running scheduler: workStealing true -> false"));
            String log = log(weft);
            assertTrue(log.contains("org.weft.scheduler: workerSaturation = 'lots' is rejected (not a number, nor inf);"
                    + " keeping workerSaturation = 1.1"), log);
            assertTrue(log.contains("org.weft.scheduler: validate false -> true changed; this applies when Weft next"
                    + " starts"), log);

            running.send("weft:plugins");
            running.awaitStdout("stealing listed CLOSED", out -> STEALING_CLOSED.matcher(out).find());
            running.closeInput();
            assertEquals(0, running.awaitExit(WeftInstall.TIMEOUT), running.describe());
        }
    }

    @Test
    void anIdleTimeoutSavedWhileRunningStopsWeft() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        try (WeftInstall.Running running = weft.start("local", "--no-console", "--workers", "1")) {
            running.awaitStdout("the ready banner", out -> out.contains("ready in"));
            append(weft, "idleTimeoutMillis = 500");
            assertEquals(0, running.awaitExit(Duration.ofSeconds(60)), running.describe());
        }
        String log = log(weft);
        assertTrue(log.contains("org.weft.scheduler: applied to the running scheduler: idleTimeoutMillis 0 -> 500"), log);
        assertTrue(log.contains("the scheduler closed itself (idle timeout: no tasks and no client activity for 500 ms)"),
                log);
    }
}
