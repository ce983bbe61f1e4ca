package org.weft.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker process's data folder, and what a new worker deletes of the folders of gone ones. */
class WorkerDataTest {

    @TempDir
    Path home;

    @Test
    void eachWorkerProcessHasItsOwnDataFolder() {
        WeftHome installation = new WeftHome(home);
        WeftHome worker = WorkerData.prepare(installation);
        assertEquals(home.resolve("data/worker-" + ProcessHandle.current().pid()), worker.data());
        assertEquals(home.resolve("data/caches"), worker.cacheFolder().getParent());
        assertEquals(worker.cacheFolder().resolve("cache"), worker.cache());
        assertEquals(installation.bundles(), worker.bundles());
        assertEquals(installation.etc(), worker.etc());
        assertEquals(worker.portableData() + "/cache", worker.substitute("${weft.data}/cache"));
        assertEquals(installation.portable() + "/etc", worker.substitute("${weft.home}/etc"));
    }

    @Test
    void theCacheOfAWorkerNoLongerRunningGoesItsLogStays() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long gone = ended.pid();
        long alive = ProcessHandle.current().parent().orElseThrow().pid();
        long self = ProcessHandle.current().pid();
        Path data = home.resolve("data");
        for (long pid : new long[] {gone, alive, self}) {
            Files.createDirectories(data.resolve("worker-" + pid + "/cache/bundle1"));
            Files.writeString(data.resolve("worker-" + pid + "/cache/bundle1/bundle.jar"), "jar");
            Files.createDirectories(data.resolve("worker-" + pid + "/tmp"));
            Files.createDirectories(data.resolve("worker-" + pid + "/log"));
            Files.writeString(data.resolve("worker-" + pid + "/log/weft.log"), "log");
        }
        Files.createDirectories(data.resolve("cache"));
        Files.createDirectories(data.resolve("worker-notanumber/cache"));

        WorkerData.deleteLeftovers(data, self);

        assertFalse(Files.exists(data.resolve("worker-" + gone + "/cache")), "the gone worker's cache");
        assertFalse(Files.exists(data.resolve("worker-" + gone + "/tmp")), "the gone worker's tmp");
        assertTrue(Files.isRegularFile(data.resolve("worker-" + gone + "/log/weft.log")), "its log stays");
        assertTrue(Files.exists(data.resolve("worker-" + alive + "/cache/bundle1/bundle.jar")), "a running worker's");
        assertTrue(Files.exists(data.resolve("worker-" + self + "/cache/bundle1/bundle.jar")), "this process's");
        assertTrue(Files.isDirectory(data.resolve("cache")), "the scheduler's cache");
        assertTrue(Files.isDirectory(data.resolve("worker-notanumber/cache")), "not a worker folder");
    }

    /** A slot held by a running process (here: this one) is not taken again; the next free one is. */
    @Test
    void aLockedSlotIsNotTakenAgain() {
        Path pool = home.resolve("data/caches");
        assertEquals(pool.resolve("nanny-0"), WorkerData.lockSlot(pool, "nanny-"));
        assertEquals(pool.resolve("nanny-1"), WorkerData.lockSlot(pool, "nanny-"));
        assertTrue(Files.isRegularFile(pool.resolve("nanny-0/lock")));
    }
}
