package org.weft.plugins.resourcemonitor;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.weft.plugin.api.PluginProperties;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerPlugin;

/**
 * Installs the profiler's plugins as services, which the scheduler binds like any plugin bundle's:
 * a worker plugin as a prototype-scope service (each worker its own instance), a scheduler plugin
 * as a plain one. Uninstalling unregisters them: a stopped profiler leaves no plugin behind.
 */
final class ServiceInstaller implements PluginInstaller {

    private final BundleContext context;
    private final Map<String, ServiceRegistration<?>> registered = new ConcurrentHashMap<>();

    ServiceInstaller(BundleContext context) {
        this.context = context;
    }

    @Override
    public void installWorkerPlugin(String name, Supplier<WorkerPlugin> perWorker) {
        PrototypeServiceFactory<WorkerPlugin> factory = new PrototypeServiceFactory<>() {
            @Override
            public WorkerPlugin getService(Bundle bundle, ServiceRegistration<WorkerPlugin> registration) {
                return perWorker.get();
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<WorkerPlugin> registration, WorkerPlugin service) {
                // nothing held
            }
        };
        register(name, context.registerService(WorkerPlugin.class, factory, properties(name)));
    }

    @Override
    public void installSchedulerPlugin(String name, SchedulerPlugin plugin) {
        register(name, context.registerService(SchedulerPlugin.class, plugin, properties(name)));
    }

    @Override
    public void uninstall(String name) {
        ServiceRegistration<?> r = registered.remove(name);
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it
            }
        }
    }

    private void register(String name, ServiceRegistration<?> registration) {
        ServiceRegistration<?> before = registered.put(name, registration);
        if (before != null) {
            uninstallQuietly(before);
        }
    }

    private static void uninstallQuietly(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // nothing to do
        }
    }

    private static Hashtable<String, Object> properties(String name) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(PluginProperties.NAME, name);
        return p;
    }
}
