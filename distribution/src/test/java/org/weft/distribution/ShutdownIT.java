package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft local --no-console} runs until SIGTERM, then stops the bundles and logs it. */
class ShutdownIT {

    @TempDir
    Path dir;

    /** Needs the scheduler runtime (org.weft.scheduler.core): it signals readiness. */
    @Test
    void sigtermStopsCleanly() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        try (WeftInstall.Running running = weft.start("local", "--no-console", "--workers", "2")) {
            running.awaitStdout("the ready banner", out -> out.contains("local cluster: 2 workers x"));
            assertTrue(running.stdout().contains("Ctrl-C to stop"), running.describe());

            running.process().destroy(); // SIGTERM
            running.awaitExit(Duration.ofSeconds(30));
        }
        String log = Files.readString(weft.home().resolve("data/log/weft.log"));
        assertTrue(log.contains("Weft stopped"), log);
    }
}
