package org.weft.scheduler.core.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.TransitionEvent;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.PluginState;
import org.weft.pluginhost.PluginStatus;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.stealing.WorkStealing;

/** New settings for a running local cluster ({@link LocalCluster#reconfigure}), validation on. */
class ReconfigureClusterTest {

    private LocalCluster cluster;

    private SchedulerConfig schedulerConfig() {
        return cluster.config().scheduler();
    }

    private void start(LocalClusterConfig config) {
        cluster = LocalCluster.start(config.withValidation(true), TaskFunctionRegistry.withBuiltins());
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private PluginState stealing() {
        return cluster.pluginStatus().join().stream().filter(p -> p.name().equals(WorkStealing.NAME))
                .filter(p -> p.state() != PluginState.CLOSED).map(PluginStatus::state).findFirst().orElse(PluginState.CLOSED);
    }

    @Test
    void workStealingIsRemovedAndAddedBack() throws Exception {
        start(LocalClusterConfig.of(2).withThreads(1));
        assertEquals(PluginState.ACTIVE, stealing());
        cluster.reconfigure(schedulerConfig().withWorkStealing(false), cluster.config().plugins()).join();
        assertEquals(PluginState.CLOSED, stealing());
        assertTrue(!schedulerConfig().workStealing());
        cluster.reconfigure(schedulerConfig().withWorkStealing(true), cluster.config().plugins()).join();
        assertEquals(PluginState.ACTIVE, stealing());
        try (Client client = cluster.client()) {
            assertEquals(2L, client.submit("inc", 1).get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void anIdleTimeoutSetOnARunningClusterClosesIt() {
        start(LocalClusterConfig.of(1).withThreads(1));
        CompletableFuture<String> why = new CompletableFuture<>();
        cluster.onSelfClose(why::complete);
        cluster.reconfigure(schedulerConfig().withIdleTimeout(300), cluster.config().plugins()).join();
        String reason = why.orTimeout(20, TimeUnit.SECONDS).join();
        assertTrue(reason.contains("idle timeout: no tasks and no client activity for 300 ms"), reason);
    }

    @Test
    void aRunningPluginGetsTheNewFailureLimit() throws Exception {
        start(LocalClusterConfig.of(1).withThreads(1));
        SchedulerPlugin failing = new SchedulerPlugin() {
            @Override
            public void transition(TransitionEvent event) {
                throw new IllegalStateException("on purpose");
            }
        };
        cluster.scheduler().addPlugin(failing, PluginOptions.named("failing"), PluginOrigin.CODE).join();
        cluster.reconfigure(schedulerConfig(), PluginHostConfig.DEFAULTS.withMaxConsecutiveFailures(1)).join();
        try (Client client = cluster.client()) {
            assertEquals(2L, client.submit("inc", 1).get(20, TimeUnit.SECONDS));
        }
        List<PluginStatus> plugins = cluster.pluginStatus().join();
        PluginStatus status = plugins.stream().filter(p -> p.name().equals("failing")).findFirst().orElseThrow();
        assertEquals(PluginState.FAILED, status.state(), "failed after 1 failure, not 10: " + status);
        assertEquals(1, status.errors());
    }

    @Test
    void aShorterWorkerTtlKeepsHeartbeatingWorkers() throws Exception {
        start(LocalClusterConfig.of(2).withThreads(1));
        cluster.reconfigure(schedulerConfig().withWorkerTtl(600), cluster.config().plugins()).join();
        try (Client client = cluster.client()) {
            assertEquals(2L, client.submit("inc", 1).get(20, TimeUnit.SECONDS));
        }
        // heartbeats now come every 150 ms (at the old pace, 1 s, both workers would be taken):
        // for five TTLs, no worker is taken for silent
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> cluster.scheduler().query(s -> s.workers().size()).join() == 2);
    }
}
