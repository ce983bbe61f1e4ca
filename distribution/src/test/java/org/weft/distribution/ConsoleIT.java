package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted console: stdin that is not a terminal is run line by line through Gogo, results
 * are printed, and the end of input stops Weft with status 0.
 */
class ConsoleIT {

    /** Every bundle under bundle/, by symbolic name. */
    private static final List<String> RUNTIME = List.of(
            "org.apache.aries.spifly.dynamic.bundle", "org.objectweb.asm", "slf4j.api", "slf4j.jdk14",
            "org.apache.felix.scr", "org.apache.felix.configadmin", "com.fasterxml.jackson.core.jackson-databind",
            "org.weft.plugin.api", "org.weft.client", "org.apache.felix.fileinstall",
            "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command", "org.apache.felix.gogo.jline",
            "org.jline");

    @TempDir
    static Path dir;
    static WeftInstall weft;

    @BeforeAll
    static void unpack() throws Exception {
        weft = WeftInstall.unpack(dir);
    }

    @Test
    void runtimeBundlesAreActive() throws Exception {
        WeftInstall.Finished result = weft.run("lb -s\n", "local");
        assertEquals(0, result.exitCode(), result.all());
        for (String bundle : RUNTIME) {
            assertTrue(active(bundle).matcher(result.stdout()).find(), bundle + " active in " + result.all());
        }
        assertFalse(result.all().contains("No SLF4J providers"), result.all());
        assertFalse(result.all().contains("Exception"), result.all());
    }

    /** Needs the scheduler runtime (org.weft.scheduler.core, org.weft.pluginhost, org.weft.node and org.weft.worker) in bundle/4, and the shipped plugins in bundle/5. */
    @Test
    void weftCommandsRunFromAScript() throws Exception {
        java.nio.file.Path report = java.nio.file.Files.createTempDirectory("weft-console").resolve("report.html");
        WeftInstall.Finished result = weft.run("weft:status\nweft:workers\nlb -s\nweft:profile start\nweft:profile stop\n"
                + "weft:profile report " + report + "\n", "local", "--workers", "2");
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(active("org.weft.scheduler.core").matcher(result.stdout()).find(), result.all());
        assertTrue(active("org.weft.pluginhost").matcher(result.stdout()).find(), result.all());
        assertTrue(active("org.weft.node").matcher(result.stdout()).find(), result.all());
        assertTrue(active("org.weft.worker").matcher(result.stdout()).find(), result.all());
        assertTrue(active("org.weft.plugins.resourcemonitor").matcher(result.stdout()).find(), result.all());
        assertTrue(active("org.weft.plugins.gpu").matcher(result.stdout()).find(), result.all());
        assertTrue(Pattern.compile("(?i)workers\\W+2").matcher(result.stdout()).find(), result.all());
        assertTrue(result.stdout().contains("DEVICES") && result.stdout().contains("gpu: "), "weft:workers lists the GPUs "
                + "(or says none was found): " + result.all());
        assertTrue(result.stdout().contains("report written to " + report), result.all());
        assertTrue(java.nio.file.Files.size(report) > 1000, "the report was written");
        assertFalse(result.stdout().contains("CommandNotFoundException"), result.all());
    }

    /** {@code --resources} reaches every worker of the scheduler. */
    @Test
    void workersOfferTheResourcesGivenOnTheCommandLine() throws Exception {
        WeftInstall.Finished result = weft.run("weft:workers\n", "local", "--workers", "2", "--resources",
                "GPU=1,MEMORY=8e9");
        assertEquals(0, result.exitCode(), result.all());
        Matcher rows = Pattern.compile("(?m)^inproc://worker-\\d+\\s+\\d+\\s+GPU=1,MEMORY=8000000000\\s").matcher(result.stdout());
        int count = 0;
        while (rows.find()) {
            count++;
        }
        assertEquals(2, count, result.all());
    }

    /** A row of {@code lb -s}: {@code 7|Active | 2|slf4j.api (2.0.17)|2.0.17}. */
    static Pattern active(String symbolicName) {
        return Pattern.compile("(?im)^\\s*\\d+\\|active\\s*\\|\\s*\\d+\\|" + Pattern.quote(symbolicName) + " \\(");
    }
}
