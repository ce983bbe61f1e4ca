package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code idleTimeoutMillis} in etc/: {@code weft local} closes itself when quiet and exits 0, saying why. */
class IdleTimeoutIT {

    @TempDir
    Path dir;

    @Test
    void aQuietSchedulerClosesItselfAndWeftExitsCleanly() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        Files.writeString(weft.home().resolve("etc/org.weft.scheduler.cfg"), "\nidleTimeoutMillis = 2000\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (WeftInstall.Running running = weft.start("local", "--no-console", "--workers", "1")) {
            assertEquals(0, running.awaitExit(Duration.ofSeconds(60)), running.describe());
        }
        String log = Files.readString(weft.home().resolve("data/log/weft.log"));
        assertTrue(log.contains("the scheduler closed itself (idle timeout"), log);
        assertTrue(log.contains("Weft stopped"), log);
    }
}
