package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static void awaitListing(WeftInstall.Running running, Predicate<String> test) {
        int[] round = {0};
        String[] marker = {null};
        WeftInstall.awaitTrue("a plugin listing that matches", () -> {
            String out = running.stdout();
            if (marker[0] != null) {
                int end = out.lastIndexOf(marker[0]);
                if (end < 0) {
                    return false; // this round's output is not complete yet
                }
                if (test.test(out.substring(Math.max(0, out.lastIndexOf("START LEVEL", end)), end))) {
                    return true;
                }
            }
            marker[0] = "listing-" + (++round[0]) + "-done";
            running.send("lb -s");
            running.send("echo " + marker[0]);
            return false;
        });
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
