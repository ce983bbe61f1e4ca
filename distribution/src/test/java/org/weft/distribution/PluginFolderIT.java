package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plugins/ is the hot-deploy folder: a jar dropped in is installed and started, a deleted one is
 * uninstalled, also when it was deleted while Weft was down. A bundle installed from the shell
 * survives a restart.
 */
class PluginFolderIT {

    private static final String PLUGIN = "org.example.hello";

    @TempDir
    Path dir;

    @Test
    void dropInDeleteAndRestart() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        Path jar = weft.home().resolve("plugins/hello.jar");

        try (WeftInstall.Running running = weft.start("local")) {
            running.awaitStdout("the console", out -> out.contains("g! "));
            writeBundle(jar, PLUGIN);
            awaitListing(running, out -> ConsoleIT.active(PLUGIN).matcher(out).find());
            Files.delete(jar);
            awaitListing(running, out -> !out.contains(PLUGIN));
            running.closeInput();
            assertEquals(0, running.awaitExit(WeftInstall.TIMEOUT), running.describe());
        }

        writeBundle(jar, PLUGIN);
        Path shellInstalled = writeBundle(dir.resolve("elsewhere/kept.jar"), "org.example.kept");
        WeftInstall.Finished first = weft.run("start " + shellInstalled.toUri() + "\nlb -s\n", "local");
        assertTrue(ConsoleIT.active(PLUGIN).matcher(first.stdout()).find(), first.all());
        assertTrue(ConsoleIT.active("org.example.kept").matcher(first.stdout()).find(), first.all());

        Files.delete(jar); // while Weft is down
        WeftInstall.Finished second = weft.run("lb -s\n", "local");
        assertEquals(0, second.exitCode(), second.all());
        assertFalse(second.stdout().contains(PLUGIN), "deleted while down, so uninstalled: " + second.all());
        assertTrue(ConsoleIT.active("org.example.kept").matcher(second.stdout()).find(), second.all());
    }

    /**
     * Sends {@code lb -s} and an echo marker, and on a later poll judges the listing printed before
     * that marker; repeats until the listing satisfies {@code test}.
     */
    private static String awaitListing(WeftInstall.Running running, Predicate<String> test) {
        int[] round = {0};
        String[] marker = {null};
        String[] listing = {null};
        WeftInstall.awaitTrue("a plugin listing that matches", () -> {
            String out = running.stdout();
            if (marker[0] != null) {
                int end = out.lastIndexOf(marker[0]);
                if (end < 0) {
                    return false; // this round's output is not complete yet
                }
                listing[0] = out.substring(Math.max(0, out.lastIndexOf("START LEVEL", end)), end);
                if (test.test(listing[0])) {
                    return true;
                }
            }
            marker[0] = "listing-" + (++round[0]) + "-done";
            running.send("lb -s");
            running.send("echo " + marker[0]);
            return false;
        });
        return listing[0];
    }

    /**
     * A new revision written in two parts with a pause (a slow copy) never displaces the running
     * plugin: the half-written file is reported and left alone, and the complete one updates the
     * same bundle in place. Jars that are not bundles are refused with the reason, from plugins/
     * and from {@code install}.
     */
    @Test
    void halfWrittenAndPlainJarsNeverReplaceARunningPlugin() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        Path plugins = Path.of(System.getProperty("weft.testPlugins", "target/test-plugins"));
        Path jar = weft.home().resolve("plugins/counter.jar");
        Files.copy(plugins.resolve("weft-example-counter-plugin.jar"), jar);
        byte[] v2 = Files.readAllBytes(plugins.resolve("weft-example-counter-plugin-v2.jar"));
        String counter = "org.weft.examples.counter";

        try (WeftInstall.Running running = weft.start("local")) {
            running.awaitStdout("the console", out -> out.contains("g! "));
            String before = awaitListing(running, out -> revision(out, counter, "1.0.0") != null);
            String id = revision(before, counter, "1.0.0");

            Files.write(jar, java.util.Arrays.copyOf(v2, v2.length / 2));
            running.awaitStderr("the half-written jar reported", err -> err.contains("plugins/counter.jar is not taken, "
                    + counter + " 1.0.0 [" + id + "] keeps running: not a complete jar"));
            assertEquals(id, revision(awaitListing(running, out -> true), counter, "1.0.0"), "v1 still runs");

            Files.write(jar, java.util.Arrays.copyOfRange(v2, v2.length / 2, v2.length), StandardOpenOption.APPEND);
            String after = awaitListing(running, out -> revision(out, counter, "2.0.0") != null);
            assertEquals(id, revision(after, counter, "2.0.0"), "updated in place, same bundle id: " + after);

            Path plain = dir.resolve("plain.jar");
            try (OutputStream out = Files.newOutputStream(plain); JarOutputStream ignored = new JarOutputStream(out, new Manifest())) {
                // a manifest without OSGi headers
            }
            Files.copy(plain, weft.home().resolve("plugins/plain.jar"));
            Files.writeString(weft.home().resolve("plugins/notes.jar"), "not a zip");
            running.awaitStderr("both reported", err -> err.contains("plugins/plain.jar is not installed: not an OSGi bundle:"
                    + " its manifest has no Bundle-SymbolicName") && err.contains("plugins/notes.jar is not installed: not a"
                    + " complete jar"));
            running.send("install -s " + plain.toUri());
            running.awaitStdout("install refuses it", out -> out.contains("cannot install " + plain.toUri()
                    + ": not an OSGi bundle"));
            running.closeInput();
            assertEquals(0, running.awaitExit(WeftInstall.TIMEOUT), running.describe());
        }
        String log = WeftInstall.read(weft.home().resolve("data/log/weft.log"));
        assertTrue(log.contains("WARNING [org.weft.launcher.PluginFolder] plugins/plain.jar is not installed"), log);
        assertTrue(log.contains("WARNING [org.weft.launcher.ShellInstall] install " + plain(dir) + ": not an OSGi bundle"), log);
    }

    private static String plain(Path dir) {
        return dir.resolve("plain.jar").toUri().toString();
    }

    /** The bundle id of {@code symbolicName} at {@code version} if the {@code lb -s} listing shows it active. */
    private static String revision(String listing, String symbolicName, String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^\\s*(\\d+)\\|active\\s*\\|\\s*\\d+\\|"
                + java.util.regex.Pattern.quote(symbolicName + " (" + version + ")")).matcher(listing);
        return m.find() ? m.group(1) : null;
    }

    /** A bundle with a manifest and nothing else: enough to install, resolve and start. */
    static Path writeBundle(Path jar, String symbolicName) throws Exception {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        Path partial = jar.resolveSibling(jar.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(partial); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // manifest only
        }
        return Files.move(partial, jar);
    }
}
