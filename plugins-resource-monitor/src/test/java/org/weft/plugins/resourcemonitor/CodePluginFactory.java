package org.weft.plugins.resourcemonitor;

import java.util.function.Supplier;

import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.pluginhost.PluginOrigin;
import org.weft.worker.WorkerPluginFactory;

/** A worker plugin added in code under {@code name}, each worker its own instance from {@code perWorker}. */
final class CodePluginFactory implements WorkerPluginFactory {

    private final String name;
    private final Supplier<WorkerPlugin> perWorker;

    CodePluginFactory(String name, Supplier<WorkerPlugin> perWorker) {
        this.name = name;
        this.perWorker = perWorker;
    }

    @Override
    public PluginOptions options() {
        return PluginOptions.named(name);
    }

    @Override
    public PluginOrigin origin() {
        return PluginOrigin.CODE;
    }

    @Override
    public WorkerPlugin create() {
        return perWorker.get();
    }
}
