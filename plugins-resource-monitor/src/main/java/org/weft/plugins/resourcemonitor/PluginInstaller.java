package org.weft.plugins.resourcemonitor;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerPlugin;

/**
 * How the {@link Profiler}'s plugins reach the cluster while it records: as OSGi services in the
 * runtime, directly on a {@code LocalCluster} in tests and benchmarks. Stopped, nothing is
 * installed, so a stopped profiler costs the scheduler nothing.
 */
public interface PluginInstaller {

    /** Gives every worker, present or joining later, its own instance from {@code perWorker}. */
    void installWorkerPlugin(String name, java.util.function.Supplier<WorkerPlugin> perWorker);

    void installSchedulerPlugin(String name, SchedulerPlugin plugin);

    /** Removes what was installed under this name; nothing if nothing was. */
    void uninstall(String name);
}
