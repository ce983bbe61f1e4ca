package org.weft.worker.osgi;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.pluginhost.PluginOrigin;
import org.weft.preload.NodePreloads;
import org.weft.preload.StartingNode;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;

/** Sets up the worker plugins a worker's preloads added, before it joins; one that fails stops the worker. */
public final class PreloadedWorkerPlugins {

    private PreloadedWorkerPlugins() {
    }

    /** @param worker adds a plugin to the worker (or workers), answering how its setup went on each */
    public static void startOn(NodePreloads preloads,
            Function<WorkerPluginFactory, CompletableFuture<List<WorkerPluginOutcome>>> worker) {
        preloads.startWorkerPlugins(added -> {
            for (WorkerPluginOutcome outcome : worker.apply(factory(added)).join()) {
                if (outcome.failed()) {
                    return outcome.error();
                }
            }
            return null;
        });
    }

    private static WorkerPluginFactory factory(StartingNode.Added<WorkerPlugin> added) {
        return new WorkerPluginFactory() {
            @Override
            public PluginOptions options() {
                return added.options();
            }

            @Override
            public PluginOrigin origin() {
                return new PluginOrigin(NodePreloads.origin(added), "", -1);
            }

            @Override
            public WorkerPlugin create() {
                return added.plugin();
            }
        };
    }
}
