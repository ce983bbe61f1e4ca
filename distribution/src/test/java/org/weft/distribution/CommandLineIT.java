package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version, and what a wrong command line gets. None of these start the framework. */
class CommandLineIT {

    @TempDir
    static Path dir;
    static WeftInstall weft;

    @BeforeAll
    static void unpack() throws Exception {
        weft = WeftInstall.unpack(dir);
    }

    /** What {@code bin/weft --help} printed, run once for the tests that read it. */
    private static WeftInstall.Finished help;

    private static synchronized WeftInstall.Finished runHelp() throws Exception {
        if (help == null) {
            help = weft.run(null, "--help");
        }
        return help;
    }

    @Test
    void help() throws Exception {
        WeftInstall.Finished result = runHelp();
        assertEquals(0, result.exitCode(), result.all());
        assertContains(result, "local", "demo", "--version", "Examples:", "JAVA_OPTS", "parallel garbage collector");
    }

    @Test
    void version() throws Exception {
        WeftInstall.Finished result = weft.run(null, "--version");
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.stdout().startsWith("Weft " + System.getProperty("weft.version", "")), result.all());
    }

    @Test
    void localHelp() throws Exception {
        WeftInstall.Finished result = weft.run(null, "local", "--help");
        assertEquals(0, result.exitCode(), result.all());
        assertContains(result, "--workers", "--threads", "--resources", "GPU=1,MEMORY=8e9", "--no-console", "--daemon",
                "Examples:");
    }

    @Test
    void uploadHelp() throws Exception {
        WeftInstall.Finished listed = runHelp();
        assertContains(listed, "upload", "Send a jar to every worker");
        WeftInstall.Finished result = weft.run(null, "upload", "--help");
        assertEquals(0, result.exitCode(), result.all());
        assertContains(result, "FILE.jar", "--scheduler", "--token-file", "--tls-ca", "@TaskFunctionName", "weft:bundles",
                "Exit status", "Examples:");
        WeftInstall.Finished noScheduler = weft.run(null, "upload", "x.jar");
        assertEquals(2, noScheduler.exitCode(), noScheduler.all());
        assertTrue(noScheduler.stderr().contains("Missing required option: '--scheduler=tcp://HOST:PORT'"), noScheduler.all());
    }

    @Test
    void demoHelp() throws Exception {
        WeftInstall.Finished result = weft.run(null, "demo", "--help");
        assertEquals(0, result.exitCode(), result.all());
        assertContains(result, "--workers", "--chunks", "--samples", "Examples:");
    }

    /** README: bin/weft passes JAVA_OPTS to the JVM, split into options (heap sizing for big graphs). */
    @Test
    void javaOptsReachTheJvm() throws Exception {
        WeftInstall.Finished sized = weft.runWithJavaOpts("-Xmx256m -Xmn64m", null, "--version");
        assertEquals(0, sized.exitCode(), sized.all());
        WeftInstall.Finished wrong = weft.runWithJavaOpts("-Xmx256m -Xmx1x", null, "--version");
        assertNotEquals(0, wrong.exitCode(), wrong.all());
        assertTrue(wrong.all().contains("Invalid maximum heap size: -Xmx1x"), wrong.all());
    }

    /** README "The JVM": the parallel collector by default; a collector named in JAVA_OPTS replaces it. */
    @Test
    void parallelCollectorUnlessJavaOptsNamesOne() throws Exception {
        WeftInstall.Finished byDefault = weft.runWithJavaOpts("-XX:+PrintCommandLineFlags", null, "--version");
        assertEquals(0, byDefault.exitCode(), byDefault.all());
        assertTrue(byDefault.stdout().contains("-XX:+UseParallelGC"), byDefault.all());
        assertTrue(byDefault.stdout().contains("-XX:NewRatio=1"), "half the heap young: " + byDefault.all());

        WeftInstall.Finished chosen = weft.runWithJavaOpts("-XX:+UseSerialGC -XX:+PrintCommandLineFlags", null, "--version");
        assertEquals(0, chosen.exitCode(), "no conflicting collectors: " + chosen.all());
        assertTrue(chosen.stdout().contains("-XX:+UseSerialGC"), chosen.all());
        assertFalse(chosen.stdout().contains("-XX:+UseParallelGC"), chosen.all());
        assertFalse(chosen.stdout().contains("-XX:NewRatio=1"), "the young size goes with the collector: " + chosen.all());

        WeftInstall.Finished fromJdkOptions = weft.runWithEnv(
                Map.of("JDK_JAVA_OPTIONS", "-XX:+UseSerialGC", "JAVA_OPTS", "-XX:+PrintCommandLineFlags"), null, "--version");
        assertEquals(0, fromJdkOptions.exitCode(), "no conflicting collectors: " + fromJdkOptions.all());
        assertTrue(fromJdkOptions.stdout().contains("-XX:+UseSerialGC"), fromJdkOptions.all());
    }

    /**
     * README "The JVM": scheduler and worker processes resize their generations at full collections only (no young
     * memory given back and faulted in again); a local cluster keeps the JVM's resizing; JAVA_OPTS can bring it back,
     * and a collector named there drops the flag.
     */
    @Test
    void schedulerAndWorkerResizeTheirGenerationsAtFullCollectionsOnly() throws Exception {
        String flag = "-XX:-UseAdaptiveGenerationSizePolicyAtMinorCollection";
        for (String command : new String[] {"scheduler", "worker"}) {
            WeftInstall.Finished run = weft.runWithJavaOpts("-XX:+PrintCommandLineFlags", null, command, "--help");
            assertEquals(0, run.exitCode(), command + ": " + run.all());
            assertTrue(run.stdout().contains(flag), command + ": " + run.all());
        }
        WeftInstall.Finished local = weft.runWithJavaOpts("-XX:+PrintCommandLineFlags", null, "local", "--help");
        assertEquals(0, local.exitCode(), local.all());
        assertFalse(local.stdout().contains("UseAdaptiveGenerationSizePolicy"), "a local cluster's young generation grows: "
                + local.all());

        WeftInstall.Finished back = weft.runWithJavaOpts("-XX:+UseAdaptiveGenerationSizePolicyAtMinorCollection -XX:+PrintFlagsFinal",
                null, "scheduler", "--help");
        assertEquals(0, back.exitCode(), back.all());
        assertTrue(back.stdout().lines()
                .anyMatch(l -> l.matches("\\s*bool UseAdaptiveGenerationSizePolicyAtMinorCollection\\s+= true.*")),
                "JAVA_OPTS names it back: " + back.all());

        WeftInstall.Finished serial = weft.runWithJavaOpts("-XX:+UseSerialGC -XX:+PrintCommandLineFlags", null, "worker", "--help");
        assertEquals(0, serial.exitCode(), "no flag of the parallel collector left: " + serial.all());
        assertFalse(serial.stdout().contains("UseAdaptiveGenerationSizePolicy"), serial.all());
    }

    /** README "The JVM": half the heap young by default; a young size named in JAVA_OPTS replaces that. */
    @Test
    void youngGenerationHalfTheHeapUnlessJavaOptsSizesIt() throws Exception {
        for (String sizing : new String[] {"-Xmn32m", "-XX:NewSize=32m", "-XX:MaxNewSize=64m", "-XX:NewRatio=3"}) {
            WeftInstall.Finished sized = weft.runWithJavaOpts("-Xmx256m " + sizing + " -XX:+PrintCommandLineFlags", null,
                    "--version");
            assertEquals(0, sized.exitCode(), sizing + ": " + sized.all());
            assertTrue(sized.stdout().contains("-XX:+UseParallelGC"), sizing + ": " + sized.all());
            assertFalse(sized.stdout().contains("-XX:NewRatio=1"), sizing + ": " + sized.all());
        }
    }

    @Test
    void unknownOption() throws Exception {
        WeftInstall.Finished result = weft.run(null, "local", "--frobnicate");
        assertNotEquals(0, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("Unknown option: '--frobnicate'"), result.all());
        assertTrue(result.stderr().contains("Usage: weft local"), result.all());
    }

    @Test
    void unknownCommand() throws Exception {
        WeftInstall.Finished result = weft.run(null, "lokal");
        assertNotEquals(0, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("'lokal'"), result.all());
        assertTrue(result.stderr().contains("local"), "suggests the right command: " + result.all());
    }

    @Test
    void noCommand() throws Exception {
        WeftInstall.Finished result = weft.run(null);
        assertNotEquals(0, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("Missing command"), result.all());
    }

    @Test
    void badNumber() throws Exception {
        WeftInstall.Finished result = weft.run(null, "demo", "--workers", "0");
        assertNotEquals(0, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("--workers must be at least 1"), result.all());
    }

    @Test
    void badResources() throws Exception {
        for (String bad : new String[] {"GPU", "GPU=one", "GPU=-1", "GPU=1;MEMORY=2", "GPU=1,GPU=2", ""}) {
            WeftInstall.Finished result = weft.run(null, "local", "--resources", bad);
            assertNotEquals(0, result.exitCode(), result.all());
            assertTrue(result.stderr().contains("--resources "), bad + ": " + result.all());
            assertTrue(result.stderr().contains("Usage: weft local"), bad + ": " + result.all());
        }
    }

    private static void assertContains(WeftInstall.Finished result, String... texts) {
        for (String text : texts) {
            assertTrue(result.stdout().contains(text), "'" + text + "' in " + result.all());
        }
    }
}
