package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft demo} runs the sample job inside the framework and exits with its status. */
class DemoIT {

    @TempDir
    Path dir;

    /** Needs the scheduler runtime (org.weft.scheduler.core) in bundle/4. */
    @Test
    void shortDemoRunsAndExits() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        WeftInstall.Finished result = weft.run(null, "demo", "--chunks", "200", "--samples", "1000");
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.stdout().contains("Weft ") && result.stdout().contains(" demo: "), "banner: " + result.all());
        assertTrue(result.stdout().lines().anyMatch(l -> l.startsWith("pi ≈")), result.all());
        assertTrue(result.stdout().lines().anyMatch(l -> l.startsWith("tasks:")), result.all());
    }
}
