package org.weft.plugins.resourcemonitor;

import java.util.function.Supplier;

import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.local.LocalCluster;
import org.weft.pluginhost.PluginOrigin;

/** Installs the profiler's plugins straight on a {@link LocalCluster}, as the OSGi runtime does through services. */
final class LocalClusterInstaller implements PluginInstaller {

    private final LocalCluster cluster;
    private final java.util.Set<String> schedulerPlugins = java.util.concurrent.ConcurrentHashMap.newKeySet();

    LocalClusterInstaller(LocalCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void installWorkerPlugin(String name, Supplier<WorkerPlugin> perWorker) {
        cluster.addWorkerPlugin(new CodePluginFactory(name, perWorker)).join();
    }

    @Override
    public void installSchedulerPlugin(String name, SchedulerPlugin plugin) {
        cluster.scheduler().addPlugin(plugin, PluginOptions.named(name), PluginOrigin.CODE).join();
        schedulerPlugins.add(name);
    }

    @Override
    public void uninstall(String name) {
        cluster.removeWorkerPlugin(name).join();
        if (schedulerPlugins.remove(name)) {
            cluster.scheduler().removePlugin(name).join();
        }
    }
}
