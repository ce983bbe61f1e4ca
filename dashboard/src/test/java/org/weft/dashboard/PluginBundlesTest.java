package org.weft.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;

/** Install, update and remove from the Plugins page, in a real Felix framework, and what is refused. */
class PluginBundlesTest {

    @TempDir
    Path dir;
    private Framework framework;
    private PluginBundles bundles;

    @BeforeEach
    void start() throws Exception {
        framework = TestBundles.framework(dir.resolve("cache"));
        bundles = new PluginBundles(framework.getBundleContext(), dir.resolve("home"), dir.resolve("data/dashboard-plugins"));
    }

    @AfterEach
    void stop() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    private Bundle named(String name) {
        return TestBundles.named(framework, name);
    }

    @Test
    void aBundleIsInstalledStartedUpdatedAndRemoved() throws Exception {
        PluginBundles.Outcome installed = bundles.install(TestBundles.bundle(dir, "org.example.hello", "1.0.0"));
        assertEquals(200, installed.status(), installed.message());
        Bundle hello = named("org.example.hello");
        assertEquals(Bundle.ACTIVE, hello.getState());
        assertTrue(Files.exists(dir.resolve("data/dashboard-plugins/org.example.hello.jar")), "kept for the next start");
        assertTrue(bundles.list().stream().anyMatch(b -> "org.example.hello".equals(b.get("name"))
                && Boolean.TRUE.equals(b.get("managedHere"))));

        PluginBundles.Outcome again = bundles.install(TestBundles.bundle(dir, "org.example.hello", "1.1.0"));
        assertEquals(409, again.status(), "installed already: " + again.message());

        PluginBundles.Outcome wrongName = bundles.update(hello.getBundleId(), TestBundles.bundle(dir, "org.example.other", "2.0.0"));
        assertEquals(400, wrongName.status(), wrongName.message());
        assertEquals("1.0.0", hello.getVersion().toString());

        PluginBundles.Outcome updated = bundles.update(hello.getBundleId(), TestBundles.bundle(dir, "org.example.hello", "1.1.0"));
        assertEquals(200, updated.status(), updated.message());
        assertEquals("1.1.0", hello.getVersion().toString());
        assertEquals(Bundle.ACTIVE, hello.getState());

        PluginBundles.Outcome removed = bundles.remove(hello.getBundleId());
        assertEquals(200, removed.status(), removed.message());
        assertNull(named("org.example.hello"));
        assertFalse(Files.exists(dir.resolve("data/dashboard-plugins/org.example.hello.jar")));
    }

    @Test
    void whatIsNotACompleteBundleIsRefusedBeforeInstalling() throws Exception {
        int before = framework.getBundleContext().getBundles().length;
        PluginBundles.Outcome plain = bundles.install(TestBundles.plainJar(dir));
        assertEquals(400, plain.status());
        assertTrue(plain.message().contains("not an OSGi bundle"), plain.message());

        Path whole = TestBundles.bundle(dir, "org.example.cut", "1.0.0");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.jar"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        PluginBundles.Outcome truncated = bundles.install(cut);
        assertEquals(400, truncated.status(), truncated.message());

        PluginBundles.Outcome text = bundles.install(Files.writeString(dir.resolve("evil.jar"), "<script>alert(1)</script>"));
        assertEquals(400, text.status(), text.message());
        assertEquals(before, framework.getBundleContext().getBundles().length, "nothing was installed");
    }

    @Test
    void bundlesOfTheRuntimeAndOfPluginsFolderAreLeftToTheirFolders() throws Exception {
        Path shipped = Files.createDirectories(dir.resolve("home/bundle/5"));
        Path jar = TestBundles.bundle(shipped, "org.example.shipped", "1.0.0");
        // as the launcher names them: file:/abs/path (FileInstall's form), not file:///abs/path
        Bundle b = framework.getBundleContext().installBundle(jar.toAbsolutePath().toFile().toURI().toString());
        assertTrue(b.getLocation().startsWith("file:/") && !b.getLocation().startsWith("file:///"), b.getLocation());
        assertFalse(bundles.managedHere(b));
        Path plugins = Files.createDirectories(dir.resolve("home/plugins"));
        Bundle dropped = framework.getBundleContext().installBundle(
                "file://" + TestBundles.bundle(plugins, "org.example.dropped", "1.0.0").toAbsolutePath());
        assertFalse(bundles.managedHere(dropped), dropped.getLocation());
        assertEquals(404, bundles.remove(b.getBundleId()).status());
        assertEquals(404, bundles.update(b.getBundleId(), jar).status());
        assertEquals(404, bundles.remove(0).status(), "never the framework");
        assertEquals(Bundle.INSTALLED, b.getState());
        Map<String, Object> listed = bundles.list().stream().filter(m -> "org.example.shipped".equals(m.get("name")))
                .findFirst().orElseThrow();
        assertEquals(false, listed.get("managedHere"));
    }
}
