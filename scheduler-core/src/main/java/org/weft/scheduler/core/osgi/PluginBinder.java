package org.weft.scheduler.core.osgi;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.node.osgi.PluginHandovers;
import org.weft.node.osgi.PluginReferences;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.PluginStartException;
import org.weft.scheduler.core.cluster.SchedulerNode;

/**
 * Binds scheduler plugin services from any bundle into the running cluster's scheduler (multiple,
 * dynamic, greedy): install a bundle and its plugins start; update it and they are replaced
 * without losing an event; uninstall it and they are closed. Bind and unbind only enqueue work
 * for the loop. Worker plugins, task functions and serializers are the worker bundle's
 * {@code WorkerPluginBinder}'s, which finds the workers of this process (if any) as a {@code WorkerTarget}.
 */
@Component(immediate = true)
public final class PluginBinder {

    private static final Logger LOG = LoggerFactory.getLogger(PluginBinder.class);

    private final SchedulerNode scheduler;
    private final BundleContext context;
    /** Per service id, its plugin and the name it was added under (a generated one stays the same on unbind). */
    private final Map<Long, BoundPlugin> schedulerPlugins = new ConcurrentHashMap<>();
    /** Per bundle id, the names of its plugins whose events are held while the bundle is stopped. */
    private final PluginHandovers handovers;
    private final UnavailablePlugins unavailable;

    private record BoundPlugin(String name, SchedulerPlugin plugin) {
    }

    @Activate
    public PluginBinder(@Reference RunningScheduler running, BundleContext context) {
        this.scheduler = running.service().scheduler();
        this.context = context;
        this.handovers = new PluginHandovers(scheduler::dropHandover);
        this.unavailable = new UnavailablePlugins(scheduler, context.getBundle().getBundleId());
        context.addBundleListener(handovers);
        context.addFrameworkListener(unavailable);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(handovers);
        context.removeFrameworkListener(unavailable);
    }

    // ---------------------------------------------------------------- scheduler plugins

    /**
     * Gets the service itself rather than through DS: when the plugin's class cannot load or its
     * component cannot be created, DS would skip the bind silently; here the plugin is listed
     * FAILED with the cause ({@link UnavailablePlugins}).
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, service = SchedulerPlugin.class)
    void bindSchedulerPlugin(ServiceReference<SchedulerPlugin> ref) {
        long id = serviceId(ref);
        SchedulerPlugin plugin = getService(ref);
        if (plugin == null) {
            if (ref.getBundle() != null) {
                unavailable.schedulerPlugin(options(ref, null), origin(ref));
            }
            return;
        }
        PluginOptions options = options(ref, plugin);
        if (schedulerPlugins.putIfAbsent(id, new BoundPlugin(options.name(), plugin)) != null) {
            context.ungetService(ref);
            return;
        }
        PluginOrigin origin = origin(ref);
        scheduler.addPlugin(plugin, options, origin).whenComplete((registration, error) -> {
            if (error == null) {
                LOG.info("scheduler plugin '{}' from {} {}: {}", options.name(), origin.bundle(), origin.version(),
                        registration);
            } else {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                LOG.warn("scheduler plugin '{}' from {} {} did not start: {}", options.name(), origin.bundle(),
                        origin.version(), cause instanceof PluginStartException ? cause.getMessage() : cause.toString());
            }
        });
    }

    void unbindSchedulerPlugin(ServiceReference<SchedulerPlugin> ref) {
        BoundPlugin bound = schedulerPlugins.remove(serviceId(ref));
        if (bound == null) {
            return;
        }
        String name = bound.name();
        // a bundle being stopped may be on its way to an update: hold its events for the new revision
        boolean bundleStopping = handovers.holdIfStopping(ref.getBundle(), name);
        scheduler.removePluginInstance(bound.plugin(), bundleStopping);
        ungetService(ref);
    }

    private SchedulerPlugin getService(ServiceReference<SchedulerPlugin> ref) {
        try {
            return context.getService(ref);
        } catch (RuntimeException e) { // the service's bundle went away meanwhile
            LOG.debug("cannot get plugin service {}", ref, e);
            return null;
        }
    }

    private void ungetService(ServiceReference<?> ref) {
        try {
            context.ungetService(ref);
        } catch (IllegalStateException e) {
            LOG.debug("plugin service {} already released", ref, e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static long serviceId(ServiceReference<?> ref) {
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    private static PluginOrigin origin(ServiceReference<?> ref) {
        return PluginReferences.origin(ref);
    }

    private static PluginOptions options(ServiceReference<?> ref, Object plugin) {
        return PluginReferences.options(ref, plugin);
    }
}
