package org.weft.scheduler.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.Preload;
import org.weft.plugin.api.PreloadNode;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerView;
import org.weft.pluginhost.PluginStatus;
import org.weft.preload.ClassPathPreloadLoader;
import org.weft.preload.NodePreloads;
import org.weft.preload.PreloadArgv;
import org.weft.preload.Preloads;
import org.weft.preload.StartingNode;
import org.weft.worker.osgi.PreloadedWorkerPlugins;

/** The plugins preloads add reach the real scheduler and worker, under the preload's name; one that fails to start stops the node. */
class NodePreloadsTest {

    static final List<String> CALLS = new CopyOnWriteArrayList<>();
    private LocalCluster cluster;

    /** Adds a plugin of its node's kind. */
    public static class AddsPlugins implements Preload {
        @Override
        public void setup(PreloadNode node) {
            if (node.role() == PreloadNode.Role.SCHEDULER) {
                node.addPlugin(new SchedulerPlugin() {
                    @Override
                    public void start(SchedulerView scheduler) {
                        CALLS.add("scheduler plugin started");
                    }

                    @Override
                    public void addWorker(org.weft.plugin.api.WorkerEvent event) {
                        CALLS.add("added a worker");
                    }
                }, PluginOptions.named("from-preload"));
            } else {
                node.addPlugin(new WorkerPlugin() {
                    @Override
                    public void setup(WorkerView worker) {
                        CALLS.add("worker plugin set up");
                    }
                }, PluginOptions.named("from-preload"));
            }
        }
    }

    public static class AddsAFailingPlugin implements Preload {
        @Override
        public void setup(PreloadNode node) {
            node.addPlugin(new SchedulerPlugin() {
                @Override
                public void start(SchedulerView scheduler) {
                    throw new IllegalStateException("cannot start");
                }
            }, PluginOptions.named("failing"));
        }

        @Override
        public void teardown(PreloadNode node) {
            CALLS.add("failing preload torn down");
        }
    }

    @AfterEach
    void stop() {
        CALLS.clear();
        if (cluster != null) {
            cluster.close();
        }
    }

    private static NodePreloads setUp(PreloadNode.Role role, Class<? extends Preload> preload) throws Exception {
        Preloads preloads = Preloads.load(List.of(preload.getName()), PreloadArgv.none(),
                new ClassPathPreloadLoader(NodePreloadsTest.class.getClassLoader()));
        StartingNode node = new StartingNode(role, "inproc://scheduler");
        preloads.setUp(node);
        return new NodePreloads(status -> { }, preloads, node);
    }

    @Test
    void thePluginsAPreloadAddedRunOnTheSchedulerAndTheWorkerUnderItsName() throws Exception {
        cluster = LocalCluster.start(LocalClusterConfig.of(1).withThreads(1), TaskFunctionRegistry.withBuiltins());
        PreloadedSchedulerPlugins.startOn(setUp(PreloadNode.Role.SCHEDULER, AddsPlugins.class), cluster.scheduler());
        PreloadedWorkerPlugins.startOn(setUp(PreloadNode.Role.WORKER, AddsPlugins.class), cluster::addWorkerPlugin);
        assertEquals(List.of("scheduler plugin started", "worker plugin set up"), CALLS, "the worker joined before");
        List<PluginStatus> statuses = cluster.scheduler().pluginStatus().get();
        PluginStatus status = statuses.stream().filter(s -> s.name().equals("from-preload")).findFirst().orElseThrow();
        assertEquals("(preload " + AddsPlugins.class.getName() + ")", status.bundle(), "weft:plugins says where it came from");
    }

    /** weft local: the scheduler's preloads register their plugins before the local workers join, so they see them join. */
    @Test
    void aLocalClustersWorkersJoinAfterThePreloadsPlugins() throws Exception {
        NodePreloads preloads = setUp(PreloadNode.Role.SCHEDULER, AddsPlugins.class);
        cluster = LocalCluster.start(LocalClusterConfig.of(2).withThreads(1), TaskFunctionRegistry.withBuiltins(),
                c -> PreloadedSchedulerPlugins.startOn(preloads, c.scheduler()));
        assertEquals(List.of("scheduler plugin started", "added a worker", "added a worker"), CALLS);
    }

    @Test
    void aPluginThatDoesNotStartStopsTheNodeNamingThePreload() throws Exception {
        cluster = LocalCluster.start(LocalClusterConfig.of(0), TaskFunctionRegistry.withBuiltins());
        NodePreloads preloads = setUp(PreloadNode.Role.SCHEDULER, AddsAFailingPlugin.class);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PreloadedSchedulerPlugins.startOn(preloads, cluster.scheduler()));
        assertTrue(e.getMessage().startsWith("preload " + AddsAFailingPlugin.class.getName() + ": its plugin 'failing' did not"
                + " start: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; the scheduler does not start"), e.getMessage());
        assertEquals(List.of("failing preload torn down"), CALLS);
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> PreloadedSchedulerPlugins.startOn(preloads, cluster.scheduler()));
        assertEquals(e.getMessage(), again.getMessage(), "a second activation fails the same way");
    }
}
