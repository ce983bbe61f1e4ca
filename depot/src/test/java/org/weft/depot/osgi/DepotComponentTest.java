package org.weft.depot.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.weft.depot.BundleFacts;
import org.weft.depot.DepotBundle;
import org.weft.depot.Hashes;
import org.weft.depot.Square;
import org.weft.depot.TestJars;
import org.weft.protocol.BundleMessage;

/** A scheduler process's depot in a real Felix: fed from the framework's bundles and from uploads; weft:bundles. */
class DepotComponentTest {

    @TempDir
    Path dir;
    private EmbeddedFelix felix;

    @AfterEach
    void stop() throws Exception {
        if (felix != null) {
            felix.close();
        }
    }

    private static byte[] workerPlugin(String version) {
        return TestJars.bundle("org.example.recorder", version).header("Provide-Capability",
                "osgi.service;objectClass:List<String>=\"" + BundleFacts.WORKER_PLUGIN + "\"").build();
    }

    @Test
    void bundlesInstalledUpdatedAndUninstalledInTheSchedulersFrameworkAreTheDepot() throws Exception {
        felix = new EmbeddedFelix(dir.resolve("cache"), Map.of("weft.mode", "scheduler"));
        Path v1 = Files.write(dir.resolve("recorder.jar"), workerPlugin("1.0.0"));
        Bundle before = felix.context().installBundle(v1.toUri().toString());
        DepotComponent depot = new DepotComponent(felix.context());
        try {
            DepotBundle entry = depot.distributor().depot().get("org.example.recorder");
            assertEquals("1.0.0", entry.version(), "a bundle installed before the depot started is in it");
            assertEquals(Hashes.sha256(workerPlugin("1.0.0")), entry.sha256(), "its bytes read again from its location");

            felix.context().installBundle("lib", new ByteArrayInputStream(TestJars.bundle("org.example.lib", "1").build()));
            assertNull(depot.distributor().depot().get("org.example.lib"), "a library does not travel");

            before.update(new ByteArrayInputStream(workerPlugin("2.0.0")));
            assertEquals("2.0.0", depot.distributor().depot().get("org.example.recorder").version(),
                    "an update, its bytes rebuilt from the bundle (its location holds the old ones)");

            before.uninstall();
            assertTrue(depot.distributor().depot().bundles().isEmpty());
        } finally {
            depot.deactivate();
        }
    }

    @Test
    void anUploadIsInstalledOnTheSchedulerAndListedPerWorker() throws Exception {
        felix = new EmbeddedFelix(dir.resolve("cache"), Map.of("weft.mode", "scheduler"));
        DepotComponent depot = new DepotComponent(felix.context());
        try {
            depot.distributor().workerJoining("tcp://127.0.0.1:1", "w1", messages -> {
            });
            var upload = depot.distributor().upload("squares-3.1.jar", TestJars.plain().classOf(Square.class).build(), true);
            DepotBundle squares = depot.distributor().depot().get("squares");
            assertEquals("3.1.0", squares.version());
            assertEquals(Set.of("square"), squares.functions());
            assertEquals(1, java.util.Arrays.stream(felix.context().getBundles())
                    .filter(b -> "squares".equals(b.getSymbolicName())).count(), "installed in the scheduler's framework");
            depot.distributor().received("tcp://127.0.0.1:1", new BundleMessage.BundleState("squares", squares.sha256(),
                    BundleMessage.State.FAILED, "missing requirement org.nowhere"));
            assertEquals("FAILED", ((Map<?, ?>) ((List<?>) upload.get().get("workers")).get(0)).get("state"));
            String table = BundlesCommand.render(depot);
            assertTrue(table.startsWith("BUNDLE"), table);
            assertTrue(table.lines().anyMatch(l -> l.startsWith("squares") && l.contains("3.1.0") && l.contains(
                    squares.shortHash()) && l.contains("w1 (tcp://127.0.0.1:1)") && l.endsWith(
                            "FAILED: missing requirement org.nowhere")), table);
        } finally {
            depot.deactivate();
        }
    }

    @Test
    void outsideASchedulerProcessTheDepotStaysEmptyAndSaysSo() throws Exception {
        felix = new EmbeddedFelix(dir.resolve("cache"), Map.of("weft.mode", "worker"));
        felix.context().installBundle("r", new ByteArrayInputStream(workerPlugin("1.0.0")));
        DepotComponent depot = new DepotComponent(felix.context());
        assertTrue(depot.distributor().depot().bundles().isEmpty());
        assertTrue(BundlesCommand.render(depot).contains("runs on a scheduler process"));
    }
}
