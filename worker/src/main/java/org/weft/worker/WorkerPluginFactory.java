package org.weft.worker;

import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.pluginhost.PluginOrigin;

/**
 * A worker plugin registered for the whole cluster: each worker, present or joining later, gets
 * its own instance from {@link #create()} (a prototype-scope service, or code).
 */
public interface WorkerPluginFactory {

    PluginOptions options();

    PluginOrigin origin();

    /** A new instance for one worker. */
    WorkerPlugin create();

    /** The worker is done with an instance (after its teardown). */
    default void release(WorkerPlugin instance) {
    }
}
