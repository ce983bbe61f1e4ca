package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft demo} runs the sample job inside the framework and exits with its status. */
class DemoIT {

    @TempDir
    Path dir;

    /**
     * A short demo runs and exits, saying what it computed and where its trace and report went
     * (needs the scheduler runtime, org.weft.scheduler.core, in bundle/4). Start and stop are
     * quiet: the demo, which ends while the launcher may still be starting bundles, and a piped
     * script in local mode print no warning and log none. The demo runs twice, the first time on a
     * fresh installation: its exit raced the shell's start in most runs on a loaded machine.
     */
    @Test
    void shortDemoRunsAndExitsAndStartAndStopAreQuiet() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        for (int run = 1; run <= 2; run++) {
            WeftInstall.Finished demo = weft.run(null, "demo", "--chunks", "200", "--samples", "1000");
            assertEquals(0, demo.exitCode(), demo.all());
            assertTrue(demo.stdout().contains("Weft ") && demo.stdout().contains(" demo: "), "banner: " + demo.all());
            assertTrue(demo.stdout().lines().anyMatch(l -> l.startsWith("pi ≈")), demo.all());
            assertTrue(demo.stdout().lines().anyMatch(l -> l.startsWith("tasks:")), demo.all());
            // the demo runs with the task trace and the resource monitor on, and says where their files went
            for (String what : new String[] {"trace: ", "report: "}) {
                String line = demo.stdout().lines().filter(l -> l.startsWith(what)).findFirst().orElseThrow(
                        () -> new AssertionError("no '" + what + "' line: " + demo.all()));
                Path file = Path.of(line.substring(what.length(), line.indexOf(" (")));
                assertTrue(java.nio.file.Files.size(file) > 1000, file + " written");
            }
            assertEquals(List.of(), WeftInstall.problemLines(demo.stdout() + demo.stderr()), "demo run " + run + ": " + demo.all());
        }
        WeftInstall.Finished local = weft.run("weft:status\n", "local");
        assertEquals(0, local.exitCode(), local.all());
        assertEquals(List.of(), WeftInstall.problemLines(local.stdout() + local.stderr()), local.all());
        assertEquals(List.of(), weft.logProblems(), "weft.log");
    }
}
