package org.weft.worker.osgi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;

/**
 * Where {@link WorkerPluginBinder} puts the worker plugins and task functions it finds: the one
 * worker of a worker process ({@link WorkerProcessComponent}), or the workers of a local cluster
 * (the scheduler bundle's cluster component). Registered as a service by them.
 */
public interface WorkerTarget {

    CompletableFuture<List<WorkerPluginOutcome>> addWorkerPlugin(WorkerPluginFactory factory);

    /**
     * Removes the factory's plugins; with {@code awaitReplacement} (its bundle is being updated) each
     * worker holds the plugin's events for the next plugin of that name, as a scheduler does.
     */
    CompletableFuture<Void> removeWorkerPlugin(WorkerPluginFactory factory, boolean awaitReplacement);

    /** The plugin of this name will not come back (its bundle was uninstalled): workers drop what they hold for it. */
    void dropWorkerHandover(String name);

    TaskFunctionRegistry functions();

    /** Whether scheduler plugins run in this process; in a worker process they run on the scheduler's. */
    boolean runsSchedulerPlugins();
}
