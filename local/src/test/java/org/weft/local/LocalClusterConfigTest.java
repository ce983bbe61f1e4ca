package org.weft.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.scheduler.core.state.SchedulerConfig;

/** Every {@code with…} keeps what the others set. */
class LocalClusterConfigTest {

    private static final Map<String, Double> GPU = Map.of("GPU", 1.0);

    @Test
    void everyWithKeepsTheWorkerResources() {
        LocalClusterConfig base = LocalClusterConfig.of(2).withWorkerResources(GPU);
        assertEquals(GPU, base.withWorkerTtl(5_000).workerResources());
        assertEquals(GPU, base.withIdleTimeout(5_000).workerResources());
        assertEquals(GPU, base.withScheduler(SchedulerConfig.DEFAULTS).workerResources());
        assertEquals(GPU, base.withThreads(3).workerResources());
        assertEquals(GPU, base.withValidation(true).workerResources());
        assertEquals(GPU, base.withPlugins(PluginHostConfig.DEFAULTS).workerResources());
    }

    @Test
    void everyWithKeepsTheOthersSettings() {
        LocalClusterConfig c = LocalClusterConfig.of(3).withThreads(2).withValidation(true)
                .withWorkerResources(GPU).withWorkerTtl(7_000).withIdleTimeout(9_000);
        assertEquals(3, c.workers());
        assertEquals(2, c.threadsPerWorker());
        assertTrue(c.scheduler().validate());
        assertEquals(7_000, c.scheduler().workerTtlMillis());
        assertEquals(9_000, c.scheduler().idleTimeoutMillis());
        assertEquals(GPU, c.workerResources());
    }
}
