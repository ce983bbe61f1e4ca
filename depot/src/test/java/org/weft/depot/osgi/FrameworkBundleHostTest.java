package org.weft.depot.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.weft.depot.BundleFacts;
import org.weft.depot.Hashes;
import org.weft.depot.JarWrapper;
import org.weft.depot.Square;
import org.weft.depot.TestJars;
import org.weft.plugin.api.TaskFunction;
import org.weft.protocol.BundleMessage;
import org.weft.protocol.BundleMessage.State;

/** The worker's installer in a real Felix with Declarative Services. */
class FrameworkBundleHostTest {

    @TempDir
    Path storage;
    private EmbeddedFelix felix;
    private FrameworkBundleHost host;

    @BeforeEach
    void start() throws Exception {
        felix = new EmbeddedFelix(storage);
        host = new FrameworkBundleHost(felix.context(), 3_000);
    }

    @AfterEach
    void stop() throws Exception {
        felix.close();
    }

    private static BundleMessage.InstallBundle install(String name, String version, byte[] bytes) {
        return new BundleMessage.InstallBundle(name, version, Hashes.sha256(bytes), bytes);
    }

    private Bundle depotBundle(String name) {
        return felix.context().getBundle(FrameworkBundleHost.LOCATION_PREFIX + name);
    }

    private List<String> functionNames() throws Exception {
        ServiceReference<?>[] refs = felix.context().getAllServiceReferences(TaskFunction.class.getName(), null);
        return refs == null ? List.of() : java.util.Arrays.stream(refs)
                .map(r -> String.valueOf(r.getProperty(BundleFacts.FUNCTION_NAME))).sorted().toList();
    }

    @Test
    void aWrappedPlainJarIsActiveOnceDsRegisteredItsFunctionAndAnUpdateAndUninstallFollow() throws Exception {
        byte[] v1 = JarWrapper.wrap(TestJars.plain().classOf(Square.class).build(), "squares-1.0.jar");
        BundleMessage.BundleState state = host.install(install("squares", "1.0.0", v1));
        assertEquals(State.ACTIVE, state.state(), String.valueOf(state.cause()));
        assertEquals(List.of("square"), functionNames());
        assertEquals(List.of("squares"), host.installed());
        long id = depotBundle("squares").getBundleId();

        assertEquals(State.ACTIVE, host.install(install("squares", "1.0.0", v1)).state(), "the same bytes again");
        byte[] v2 = JarWrapper.wrap(TestJars.plain().classOf(Square.class).build(), "squares-2.0.jar");
        BundleMessage.BundleState updated = host.install(install("squares", "2.0.0", v2));
        assertEquals(State.ACTIVE, updated.state(), String.valueOf(updated.cause()));
        assertEquals(Hashes.sha256(v2), updated.sha256());
        assertEquals(id, depotBundle("squares").getBundleId(), "updated in place");
        assertEquals("2.0.0", depotBundle("squares").getVersion().toString());
        assertEquals(List.of("square"), functionNames());

        assertEquals(State.UNINSTALLED, host.uninstall("squares").state());
        assertNull(depotBundle("squares"));
        assertEquals(List.of(), functionNames());
        assertEquals(State.UNINSTALLED, host.uninstall("squares").state(), "uninstalling what is not there says so");
    }

    @Test
    void aBundleThatDoesNotResolveFailsWithTheMissingRequirement() {
        byte[] jar = TestJars.bundle("needs.nowhere", "1").header("Import-Package", "org.nowhere.at.all")
                .header("Provide-Capability", "osgi.service;objectClass=" + BundleFacts.WORKER_PLUGIN).build();
        BundleMessage.BundleState state = host.install(install("needs.nowhere", "1", jar));
        assertEquals(State.FAILED, state.state());
        assertTrue(state.cause().contains("org.nowhere.at.all"), state.cause());
        assertNotNull(depotBundle("needs.nowhere"), "installed, so a later revision updates it");
    }

    @Test
    void bytesThatDoNotHashToTheNamedHashAreRefused() {
        byte[] jar = TestJars.bundle("a", "1").build();
        BundleMessage.BundleState state = host.install(new BundleMessage.InstallBundle("a", "1", "00ff", jar));
        assertEquals(State.FAILED, state.state());
        assertTrue(state.cause().contains("hash"), state.cause());
        assertNull(depotBundle("a"));
    }

    @Test
    void aComponentThatNeverRegistersItsServiceFailsSayingWhichService() {
        byte[] jar = TestJars.bundle("broken.fn", "1").header("Service-Component", "OSGI-INF/c.xml")
                .header("Import-Package", "org.weft.plugin.api")
                .entry("OSGI-INF/c.xml", TestJars.component("c", "no.such.Class", BundleFacts.TASK_FUNCTION, "f")).build();
        BundleMessage.BundleState state = host.install(install("broken.fn", "1", jar));
        // DS registers a delayed component's service before creating it: a missing class shows only on use
        if (state.state() == State.FAILED) {
            assertTrue(state.cause().contains(BundleFacts.TASK_FUNCTION), state.cause());
        }
        byte[] never = TestJars.bundle("never", "1").header("Provide-Capability",
                "osgi.service;objectClass=" + BundleFacts.WORKER_PLUGIN).build();
        BundleMessage.BundleState neverState = host.install(install("never", "1", never));
        assertEquals(State.FAILED, neverState.state());
        assertTrue(neverState.cause().contains(BundleFacts.WORKER_PLUGIN), neverState.cause());
    }

    @Test
    void aManifestNamingAnotherBundleIsRefused() {
        byte[] jar = TestJars.bundle("real.name", "1").build();
        BundleMessage.BundleState state = host.install(install("claimed.name", "1", jar));
        assertEquals(State.FAILED, state.state());
        assertTrue(state.cause().contains("real.name"), state.cause());
    }
}
