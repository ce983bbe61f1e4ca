package org.weft.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class BundleFactsTest {

    @Test
    void aDsComponentProvidingATaskFunctionTravelsWithItsName() {
        byte[] jar = TestJars.bundle("org.example.fn", "1.2.3").header("Service-Component", "OSGI-INF/a.xml, OSGI-INF/b.xml")
                .entry("OSGI-INF/a.xml", TestJars.component("a", "x.A", BundleFacts.TASK_FUNCTION, "square"))
                .entry("OSGI-INF/b.xml", TestJars.component("b", "x.B", BundleFacts.TASK_FUNCTION, "cube")).build();
        BundleFacts facts = BundleFacts.read(jar);
        assertEquals("org.example.fn", facts.symbolicName());
        assertEquals("1.2.3", facts.version());
        assertTrue(facts.travels());
        assertEquals(Set.of("square", "cube"), facts.functions());
    }

    @Test
    void theProvideCapabilityHeaderAloneIsEnoughForAWorkerOrNannyPlugin() {
        byte[] worker = TestJars.bundle("w;singleton:=true", "2").header("Provide-Capability",
                "osgi.extender;osgi.extender=\"x\",osgi.service;objectClass:List<String>=\"java.lang.Runnable,"
                        + BundleFacts.WORKER_PLUGIN + "\";uses:=\"org.weft.plugin.api\"").build();
        BundleFacts facts = BundleFacts.read(worker);
        assertEquals("w", facts.symbolicName());
        assertTrue(facts.services().contains(BundleFacts.WORKER_PLUGIN));
        assertTrue(facts.travels());
        byte[] nanny = TestJars.bundle("n", "1").header("Provide-Capability", "osgi.service;objectClass="
                + BundleFacts.NANNY_PLUGIN).build();
        assertTrue(BundleFacts.read(nanny).travels());
    }

    @Test
    void aSchedulerPluginOrALibraryDoesNotTravel() {
        byte[] scheduler = TestJars.bundle("s", "1").header("Provide-Capability",
                "osgi.service;objectClass:List<String>=\"org.weft.plugin.api.SchedulerPlugin\"").build();
        assertFalse(BundleFacts.read(scheduler).travels());
        assertFalse(BundleFacts.read(TestJars.bundle("lib", "1").build()).travels());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DepotBundle.of(scheduler, "test"));
        assertTrue(refused.getMessage().contains("provides no task function, worker plugin or nanny plugin"),
                refused.getMessage());
    }

    @Test
    void whatIsNotABundleSaysWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BundleFacts.read(TestJars.plain().build()))
                .getMessage().contains("no Bundle-SymbolicName"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BundleFacts.read(TestJars.plain().noManifest().entry("a.txt", "x").build())).getMessage()
                .contains("no META-INF/MANIFEST.MF"));
    }

    @Test
    void aDepotBundleIsNamedByTheSha256OfItsBytes() {
        byte[] jar = TestJars.bundle("org.example.fn", "1").header("Provide-Capability",
                "osgi.service;objectClass=" + BundleFacts.TASK_FUNCTION).build();
        DepotBundle b = DepotBundle.of(jar, "test");
        assertEquals(Hashes.sha256(jar), b.sha256());
        assertEquals(64, b.sha256().length());
        assertEquals(b.sha256().substring(0, 12), b.shortHash());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hashes.sha256(new byte[0]));
    }
}
