package org.weft.scheduler.core.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerTransitionEvent;
import org.weft.pluginhost.PluginOrigin;
import org.weft.worker.WorkerPluginFactory;

/**
 * A worker plugin does not take the executor's short cut away: an executor thread that finishes a
 * task while the worker's loop is idle runs the loop's work itself, the plugin's hook included, as
 * the plugin API allows ("the loop is exclusive, not one fixed thread"). Before, any worker plugin
 * forced a hand-off to the loop thread per result, and noop throughput fell to about a quarter.
 */
class WorkerPluginThreadTest {

    @Test
    void aTaskResultsTransitionMayRunOnTheExecutorThreadThatFinishedIt() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        WorkerPlugin probe = new WorkerPlugin() {
            @Override
            public void transition(WorkerTransitionEvent e) {
                if (e.start() == WorkerTaskState.EXECUTING && e.finish() == WorkerTaskState.MEMORY) {
                    threads.add(Thread.currentThread().getName().replaceAll("-\\d+$", ""));
                }
            }
        };
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.of(1).withThreads(1).withValidation(true),
                TaskFunctionRegistry.withBuiltins()); Client client = cluster.client()) {
            cluster.addWorkerPlugin(new WorkerPluginFactory() {
                @Override
                public PluginOptions options() {
                    return PluginOptions.named("thread-probe");
                }

                @Override
                public PluginOrigin origin() {
                    return PluginOrigin.CODE;
                }

                @Override
                public WorkerPlugin create() {
                    return probe;
                }
            }).join();
            // one task at a time, each long enough for the loop to go idle while it runs
            for (int i = 0; i < 20 && !threads.contains("weft-exec-worker-1"); i++) {
                client.submit("sleep", 2).get();
            }
        }
        assertTrue(threads.contains("weft-exec-worker-1"), "hooks ran only on " + threads);
    }
}
