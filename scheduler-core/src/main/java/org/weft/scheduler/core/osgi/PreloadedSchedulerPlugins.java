package org.weft.scheduler.core.osgi;

import java.util.concurrent.CompletionException;

import org.weft.pluginhost.PluginOrigin;
import org.weft.preload.NodePreloads;
import org.weft.scheduler.core.cluster.SchedulerNode;

/** Starts the scheduler plugins a scheduler's preloads added, before anything else reaches it; one that fails stops the scheduler. */
public final class PreloadedSchedulerPlugins {

    private PreloadedSchedulerPlugins() {
    }

    public static void startOn(NodePreloads preloads, SchedulerNode scheduler) {
        preloads.startSchedulerPlugins(added -> {
            try {
                scheduler.addPlugin(added.plugin(), added.options(), new PluginOrigin(NodePreloads.origin(added), "", -1))
                        .join();
                return null;
            } catch (CompletionException e) {
                return e.getCause() == null ? e : e.getCause();
            }
        });
    }
}
