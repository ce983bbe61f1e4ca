package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A moved (or copied) installation keeps the plugins installed from the shell: installed again,
 * started if they were, and said so in weft.log. Plugins in plugins/ follow the folder.
 */
class MovedInstallationIT {

    @TempDir
    Path dir;

    @Test
    void aMovedInstallationKeepsShellInstalledPlugins() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        Path started = PluginFolderIT.writeBundle(dir.resolve("elsewhere/kept.jar"), "org.example.kept");
        Path installed = PluginFolderIT.writeBundle(dir.resolve("elsewhere/idle.jar"), "org.example.idle");
        PluginFolderIT.writeBundle(weft.home().resolve("plugins/dropped.jar"), "org.example.dropped");
        WeftInstall.Finished first = weft.run("start " + started.toUri() + "\ninstall " + installed.toUri() + "\n", "local");
        assertEquals(0, first.exitCode(), first.all());

        WeftInstall moved = weft.moveTo(dir.resolve("moved/weft"));
        WeftInstall.Finished second = moved.run("lb -s\n", "local");
        assertEquals(0, second.exitCode(), second.all());
        assertTrue(ConsoleIT.active("org.example.kept").matcher(second.stdout()).find(), second.all());
        assertTrue(second.stdout().lines().anyMatch(l -> l.contains("org.example.idle") && l.contains("Installed")),
                "installed, not started, as before: " + second.all());
        assertTrue(ConsoleIT.active("org.example.dropped").matcher(second.stdout()).find(), "from plugins/: " + second.all());
        String log = WeftInstall.read(moved.home().resolve("data/log/weft.log"));
        assertTrue(log.contains("kept org.example.kept, installed from the shell from " + started.toUri()), log);
        assertEquals(java.util.List.of(), moved.logProblems(), "weft.log");
        try (java.util.stream.Stream<Path> copies = Files.list(moved.home().resolve("data/tmp/moved-plugins"))) {
            assertEquals(0, copies.count(), "the saved copies are deleted once installed");
        }
    }
}
