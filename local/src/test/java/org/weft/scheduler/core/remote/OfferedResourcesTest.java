package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.TaskOptions;
import org.weft.comm.netty.TransportConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.worker.process.WorkerProcess;

/**
 * Resources a worker process offers beyond its config ({@code GPU=auto}, counted once its plugins
 * started): added before it joins, the scheduler places tasks asking for them there.
 */
class OfferedResourcesTest {

    private LocalCluster cluster;
    private SchedulerServer server;
    private WorkerProcess worker;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterConfig.of(0), TaskFunctionRegistry.withBuiltins());
        server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()));
        worker = WorkerProcess.create(new WorkerProcess.Config(server.address(), "gpu-box", 1, Map.of("MEMORY", 8e9),
                "127.0.0.1", TransportConfig.defaults(), 20_000, 200, PluginHostConfig.DEFAULTS, true),
                TaskFunctionRegistry.withBuiltins());
    }

    @AfterEach
    void stop() {
        worker.close();
        server.close();
        cluster.close();
    }

    @Test
    void resourcesOfferedBeforeJoiningAreTheWorkersAndTasksAskingForThemRunThere() throws Exception {
        worker.offer(Map.of("GPU", 2.0));
        assertEquals(Map.of("MEMORY", 8e9, "GPU", 2.0), worker.node().resources());
        worker.join();
        assertEquals(Map.of("MEMORY", 8e9, "GPU", 2.0), cluster.scheduler()
                .query(s -> Map.copyOf(s.workers().get(worker.address()).resources())).get(10, TimeUnit.SECONDS));
        try (Client client = cluster.client()) {
            assertEquals(2L, client.submit(TaskOptions.key("on-two-gpus").withResources(Map.of("GPU", 2.0)), "inc", 1)
                    .get(20, TimeUnit.SECONDS));
        }
        IllegalStateException late = assertThrows(IllegalStateException.class, () -> worker.offer(Map.of("TPU", 1.0)));
        assertTrue(late.getMessage().contains("before joining"), late.getMessage());
    }

    @Test
    void aResourceOfferedTwiceOrABadAmountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> worker.offer(Map.of("MEMORY", 1.0)));
        assertThrows(IllegalArgumentException.class, () -> worker.offer(Map.of("GPU", -1.0)));
        assertEquals(Map.of("MEMORY", 8e9), worker.node().resources(), "nothing added");
    }
}
