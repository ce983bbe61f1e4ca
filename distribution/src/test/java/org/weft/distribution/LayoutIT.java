package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive unpacks into the documented layout, and bin/weft runs from anywhere. */
class LayoutIT {

    @TempDir
    Path dir;
    WeftInstall weft;

    @BeforeEach
    void unpack() throws Exception {
        weft = WeftInstall.unpack(dir);
    }

    @Test
    void archiveHasTheLayout() throws Exception {
        Path home = weft.home();
        assertTrue(Files.isExecutable(home.resolve("bin/weft")), "bin/weft is executable");
        for (String folder : List.of("lib", "conf", "etc", "bundle", "plugins")) {
            assertTrue(Files.isDirectory(home.resolve(folder)), folder + "/ exists");
        }
        assertTrue(Files.isRegularFile(home.resolve("README.txt")));
        assertTrue(Files.isRegularFile(home.resolve("conf/framework.properties")));
        assertTrue(Files.isRegularFile(home.resolve("conf/logging.properties")));
        assertTrue(Files.isRegularFile(home.resolve("etc/org.weft.scheduler.cfg")));
        assertTrue(Files.isRegularFile(home.resolve("lib/weft-launcher.jar")));
        assertTrue(jars(home.resolve("lib")).stream().anyMatch(n -> n.startsWith("org.apache.felix.framework-")));
        assertTrue(jars(home.resolve("lib")).stream().anyMatch(n -> n.startsWith("picocli-")));
        assertTrue(jars(home.resolve("bundle/1")).stream().anyMatch(n -> n.startsWith("org.apache.aries.spifly.dynamic.bundle-")));
        assertTrue(jars(home.resolve("bundle/2")).stream().anyMatch(n -> n.startsWith("slf4j-api-")));
        assertTrue(jars(home.resolve("bundle/2")).stream().anyMatch(n -> n.startsWith("slf4j-jdk14-")));
        assertTrue(jars(home.resolve("bundle/4")).stream().anyMatch(n -> n.startsWith("weft-plugin-api-")));
        for (String weftBundle : List.of("weft-protocol-", "weft-comm-netty-", "weft-depot-", "weft-plugin-host-", "weft-node-", "weft-worker-", "weft-nanny-")) {
            assertTrue(jars(home.resolve("bundle/4")).stream().anyMatch(n -> n.startsWith(weftBundle)), weftBundle);
        }
        for (String library : List.of("jackson-dataformat-smile-", "netty-common-", "netty-handler-")) {
            assertTrue(jars(home.resolve("bundle/3")).stream().anyMatch(n -> n.startsWith(library)), library);
        }
        // lib/client: the remote client as plain jars, off the launcher's class path (lib/*)
        List<String> client = jars(home.resolve("lib/client"));
        for (String jar : List.of("weft-client-", "weft-protocol-", "weft-comm-netty-", "weft-preload-", "weft-plugin-api-", "jackson-databind-",
                "jackson-dataformat-smile-", "netty-transport-", "slf4j-api-", "slf4j-simple-")) {
            assertTrue(client.stream().anyMatch(n -> n.startsWith(jar)), jar + " in lib/client: " + client);
        }
        assertTrue(jars(home.resolve("lib")).stream().noneMatch(n -> n.startsWith("weft-client-")), "not on lib/*");
        assertTrue(jars(home.resolve("bundle/5")).stream().anyMatch(n -> n.startsWith("weft-plugins-resource-monitor-")));
        assertTrue(jars(home.resolve("bundle/5")).stream().anyMatch(n -> n.startsWith("weft-plugins-gpu-")));
        assertTrue(Files.isRegularFile(home.resolve("etc/org.weft.plugins.resourcemonitor.cfg")));
        assertTrue(Files.isRegularFile(home.resolve("etc/org.weft.plugins.gpu.cfg")));
        assertTrue(jars(home.resolve("bundle/6")).stream().anyMatch(n -> n.startsWith("org.apache.felix.gogo.jline-")));
        assertTrue(Files.isRegularFile(home.resolve("etc/org.weft.plugins.rabbitmq.cfg")));
        assertTrue(jars(home.resolve("plugins")).stream().allMatch(n -> n.startsWith("weft-plugins-")),
                "plugins/ ships Weft's own plugins only: " + jars(home.resolve("plugins")));
        assertTrue(jars(home.resolve("plugins")).stream().anyMatch(n -> n.startsWith("weft-plugins-rabbitmq-")));
        assertFalse(Files.exists(home.resolve("data")), "data/ is created on first run, not shipped");
    }

    @Test
    void firstRunCreatesData() throws Exception {
        WeftInstall.Finished result = weft.run("", "local", "--no-console", "--workers", "0");
        assertEquals(2, result.exitCode(), result.all());
        // a refused command line starts nothing; a real run creates data/
        WeftInstall.Finished scripted = weft.run("frameworklevel\n", "local");
        assertEquals(0, scripted.exitCode(), scripted.all());
        assertTrue(Files.isDirectory(weft.home().resolve("data/cache")));
        assertTrue(Files.isRegularFile(weft.home().resolve("data/log/weft.log")));
    }

    @Test
    void runsThroughASymlinkAndKeepsTheWorkingDirectory() throws Exception {
        Path links = Files.createDirectories(dir.resolve("links"));
        Path link = Files.createSymbolicLink(links.resolve("weft"), weft.home().resolve("bin/weft"));
        try (WeftInstall.Running running = weft.start(link, "local")) {
            running.send("system:getproperty user.dir");
            running.send("system:getproperty weft.home");
            running.closeInput();
            assertEquals(0, running.awaitExit(WeftInstall.TIMEOUT), running.describe());
            assertTrue(running.stdout().contains(weft.workDir().toRealPath().toString()), running.describe());
            assertTrue(running.stdout().contains(weft.home().toRealPath().toString()), running.describe());
        }
    }

    private static List<String> jars(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }
}
