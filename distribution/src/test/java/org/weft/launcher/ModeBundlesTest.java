package org.weft.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModeBundlesTest {

    @Test
    void readsTheSymbolicNamesOfRunbundlesAcrossContinuedLinesAndVersionRanges() {
        Set<String> names = ModeBundles.runBundles("""
                # a comment naming -runbundles: nothing
                -runrequires: osgi.identity;filter:='(osgi.identity=a)'
                -runbundles: \\
                \torg.weft.worker;version='[0.1.0,0.1.1)',\\
                \tslf4j.api;version="[2.0.17,2.0.18)",\\
                \tplain
                -runfw: org.apache.felix.framework;version='[7.0.5,7.0.5]'
                """);
        assertEquals(List.of("org.weft.worker", "slf4j.api", "plain"), List.copyOf(names));
    }

    /** The bndruns the build resolves and ships in conf/: a worker runs no scheduler, a nanny neither scheduler nor worker. */
    @Test
    void theShippedWorkerAndNannySetsLeaveOutWhatTheyDoNotRun() throws Exception {
        Set<String> worker = ModeBundles.runBundles(Files.readString(Path.of("weft-worker.bndrun")));
        assertTrue(worker.contains("org.weft.worker"), worker.toString());
        assertFalse(worker.contains("org.weft.scheduler.core"), worker.toString());
        assertFalse(worker.contains("org.weft.dashboard"), worker.toString());
        assertFalse(worker.contains("org.apache.felix.http.jetty"), worker.toString());
        Set<String> nanny = ModeBundles.runBundles(Files.readString(Path.of("weft-nanny.bndrun")));
        assertTrue(nanny.contains("org.weft.nanny"), nanny.toString());
        for (String absent : List.of("org.weft.scheduler.core", "org.weft.worker", "org.weft.dashboard",
                "org.apache.felix.http.jetty")) {
            assertFalse(nanny.contains(absent), absent + " in " + nanny);
        }
    }

    /** A bundle someone added to bundle/ is in no bndrun: every kind of process runs it. */
    @Test
    void aModeLeavesOutOnlyTheRuntimeBundlesOtherKindsRun(@TempDir Path conf) throws Exception {
        Files.writeString(conf.resolve("weft.bndrun"), "-runbundles: a;version=1,\\\n  org.weft.worker;version=1,\\\n  scheduler\n");
        Files.writeString(conf.resolve("weft-worker.bndrun"), "-runbundles: org.weft.worker;version='[0.1.0,0.1.1)',a\n");
        assertEquals(Set.of(), ModeBundles.leftOut(conf, "scheduler"));
        assertEquals(Set.of(), ModeBundles.leftOut(conf, null));
        assertEquals(Set.of("scheduler"), ModeBundles.leftOut(conf, "worker"));
    }
}
