package org.weft.scheduler.core.osgi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.scheduler.core.cluster.SchedulerNode;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;

/**
 * Where {@link PluginBinder} puts the plugins and task functions it finds: the local cluster (a
 * scheduler and its workers), or the one worker of a worker process. Registered as a service by
 * {@link LocalClusterComponent} and {@link WorkerProcessComponent}.
 */
public interface PluginTarget {

    /** Where scheduler plugins run; null in a worker process (they run on the scheduler's). */
    SchedulerNode scheduler();

    CompletableFuture<List<WorkerPluginOutcome>> addWorkerPlugin(WorkerPluginFactory factory);

    CompletableFuture<Void> removeWorkerPlugin(WorkerPluginFactory factory);

    /**
     * Removes the factory's plugins; with {@code awaitReplacement} (its bundle is being updated) each
     * worker holds the plugin's events for the next plugin of that name, as a scheduler does.
     */
    default CompletableFuture<Void> removeWorkerPlugin(WorkerPluginFactory factory, boolean awaitReplacement) {
        return removeWorkerPlugin(factory);
    }

    /** The plugin of this name will not come back (its bundle was uninstalled): workers drop what they hold for it. */
    default void dropWorkerHandover(String name) {
    }

    TaskFunctionRegistry functions();
}
