package org.weft.scheduler.core.osgi;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.node.wire.Serializers;
import org.weft.plugin.api.NannyPlugin;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.PluginProperties;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.Serializer;
import org.weft.plugin.api.TaskFunction;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.PluginStartException;
import org.weft.worker.WorkerPluginFactory;

/**
 * Binds plugin and task-function services from any bundle into the running cluster (multiple,
 * dynamic, greedy): install a bundle and its plugins start; update it and they are replaced
 * without losing an event; uninstall it and they are closed. Bind and unbind only enqueue work
 * for the loops.
 */
@Component(immediate = true)
public final class PluginBinder {

    private static final Logger LOG = LoggerFactory.getLogger(PluginBinder.class);

    private final PluginTarget target;
    private final BundleContext context;
    /** Per service id, its plugin and the name it was added under (a generated one stays the same on unbind). */
    private final Map<Long, BoundPlugin> schedulerPlugins = new ConcurrentHashMap<>();
    /** Per bundle id, the names of its plugins whose events are held while the bundle is stopped. */
    private final Map<Long, java.util.Set<String>> heldForBundle = new ConcurrentHashMap<>();
    private final Map<Long, WorkerPluginFactory> workerPlugins = new ConcurrentHashMap<>();
    /** Per bundle id, the names of its worker plugins whose events the workers hold while the bundle is stopped. */
    private final Map<Long, java.util.Set<String>> heldWorkerPlugins = new ConcurrentHashMap<>();
    private final Map<Long, TaskFunction> functions = new ConcurrentHashMap<>();
    private final SynchronousBundleListener uninstalls = this::bundleChanged;
    private final UnavailablePlugins unavailable;

    private record BoundPlugin(String name, SchedulerPlugin plugin) {
    }

    @Activate
    public PluginBinder(@Reference PluginTarget target, BundleContext context) {
        this.target = target;
        this.context = context;
        this.unavailable = new UnavailablePlugins(target.scheduler(), context.getBundle().getBundleId());
        context.addBundleListener(uninstalls);
        context.addFrameworkListener(unavailable);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(uninstalls);
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
        if (target.scheduler() == null) {
            LOG.info("scheduler plugin '{}' from {} is not run here: this is a worker process, scheduler plugins run on "
                    + "the scheduler", options(ref, null).name(), origin(ref).bundle());
            return;
        }
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
        target.scheduler().addPlugin(plugin, options, origin).whenComplete((registration, error) -> {
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
        Bundle bundle = ref.getBundle();
        boolean bundleStopping = bundle != null && bundle.getState() == Bundle.STOPPING;
        if (bundleStopping) {
            heldForBundle.computeIfAbsent(bundle.getBundleId(), b -> ConcurrentHashMap.newKeySet()).add(name);
        }
        target.scheduler().removePluginInstance(bound.plugin(), bundleStopping);
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

    // ---------------------------------------------------------------- worker plugins

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindWorkerPlugin(ComponentServiceObjects<WorkerPlugin> objects, Map<String, Object> props) {
        long id = (Long) props.get(Constants.SERVICE_ID);
        ServiceReference<WorkerPlugin> ref = objects.getServiceReference();
        if (!Constants.SCOPE_PROTOTYPE.equals(props.get(Constants.SERVICE_SCOPE))) {
            LOG.warn("worker plugin service {} from {} is not prototype-scoped: all workers share one instance",
                    id, ref.getBundle().getSymbolicName());
        }
        PluginOptions options = options(ref, null);
        PluginOrigin origin = origin(ref);
        WorkerPluginFactory factory = new WorkerPluginFactory() {
            @Override
            public PluginOptions options() {
                return options;
            }

            @Override
            public PluginOrigin origin() {
                return origin;
            }

            @Override
            public WorkerPlugin create() {
                WorkerPlugin instance = objects.getService();
                return instance != null ? instance : unavailable.workerPlugin();
            }

            @Override
            public void release(WorkerPlugin instance) {
                try {
                    objects.ungetService(instance);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    LOG.debug("worker plugin '{}' instance already released", options.name(), e);
                }
            }
        };
        if (workerPlugins.putIfAbsent(id, factory) != null) {
            return;
        }
        target.addWorkerPlugin(factory).thenAccept(outcomes -> LOG.info("worker plugin '{}' from {} {}: {}",
                options.name(), origin.bundle(), origin.version(), outcomes));
    }

    /**
     * As for scheduler plugins, a bundle being stopped may be on its way to an update: each worker
     * holds the plugin's events until the new revision's plugin is set up (old {@code teardown}, new
     * {@code setup}, nothing lost or delivered twice), or the bundle is uninstalled.
     */
    void unbindWorkerPlugin(ComponentServiceObjects<WorkerPlugin> objects, Map<String, Object> props) {
        WorkerPluginFactory factory = workerPlugins.remove((Long) props.get(Constants.SERVICE_ID));
        if (factory != null) {
            Bundle bundle = objects.getServiceReference().getBundle();
            boolean bundleStopping = bundle != null && bundle.getState() == Bundle.STOPPING;
            if (bundleStopping) {
                heldWorkerPlugins.computeIfAbsent(bundle.getBundleId(), b -> ConcurrentHashMap.newKeySet())
                        .add(factory.options().name());
            }
            target.removeWorkerPlugin(factory, bundleStopping).join();
        }
    }

    // ---------------------------------------------------------------- nanny plugins

    /** Said out loud rather than ignored: nanny plugins run in a worker's nanny process, not here. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindNannyPlugin(ServiceReference<NannyPlugin> ref) {
        LOG.info("nanny plugin '{}' from {} is not used in this process: nanny plugins run in the nanny of a worker "
                + "process (bin/weft worker without --no-nanny)", options(ref, null).name(), origin(ref).bundle());
    }

    void unbindNannyPlugin(ServiceReference<NannyPlugin> ref) {
        // nothing was started for it
    }

    // ---------------------------------------------------------------- serializers

    /**
     * A user type's serializer: values of its class cross processes (and roles, in a local
     * cluster) from now on, in this JVM. Unbound when its bundle goes; values of the type still
     * held here stay, but cannot be sent or read any more.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, service = Serializer.class)
    void bindSerializer(Serializer<?> serializer) {
        try {
            Serializers.register(serializer);
            LOG.info("serializer '{}' registered for {}", serializer.typeName(), serializer.type().getName());
        } catch (RuntimeException e) {
            LOG.warn("serializer service {} ignored: {}", serializer.getClass().getName(), e.getMessage());
        }
    }

    void unbindSerializer(Serializer<?> serializer) {
        if (Serializers.unregister(serializer)) {
            LOG.info("serializer '{}' unregistered", serializer.typeName());
        }
    }

    // ---------------------------------------------------------------- task functions

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTaskFunction(TaskFunction function, Map<String, Object> props) {
        Object name = props.get(PluginProperties.FUNCTION_NAME);
        if (!(name instanceof String s) || s.isBlank()) {
            LOG.warn("task function service {} has no {} property; ignored", props.get(Constants.SERVICE_ID),
                    PluginProperties.FUNCTION_NAME);
            return;
        }
        functions.put((Long) props.get(Constants.SERVICE_ID), function);
        target.functions().register(s, function);
        LOG.info("task function '{}' registered", s);
    }

    void unbindTaskFunction(TaskFunction function, Map<String, Object> props) {
        if (functions.remove((Long) props.get(Constants.SERVICE_ID)) != null) {
            target.functions().unregister((String) props.get(PluginProperties.FUNCTION_NAME), function);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void bundleChanged(BundleEvent event) {
        long bundleId = event.getBundle().getBundleId();
        if (event.getType() == BundleEvent.UNINSTALLED) {
            // an uninstalled bundle will not come back: discard events held for its plugins
            java.util.Set<String> names = heldForBundle.remove(bundleId);
            if (names != null) {
                names.forEach(target.scheduler()::dropHandover);
            }
            java.util.Set<String> workerNames = heldWorkerPlugins.remove(bundleId);
            if (workerNames != null) {
                workerNames.forEach(target::dropWorkerHandover);
            }
        } else if (event.getType() == BundleEvent.STARTED) {
            heldForBundle.remove(bundleId);
            heldWorkerPlugins.remove(bundleId);
        }
    }

    private static long serviceId(ServiceReference<?> ref) {
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    private static PluginOrigin origin(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        String name = b == null ? "(gone)" : b.getSymbolicName();
        String version = b == null ? "" : b.getVersion().toString();
        return new PluginOrigin(name, version, serviceId(ref));
    }

    /** Reads the typed plugin properties, tolerating bad values (warn and use the default). */
    private static PluginOptions options(ServiceReference<?> ref, Object plugin) {
        return PluginNames.options(ref::getProperty, () -> fallbackName(ref, plugin));
    }

    private static String fallbackName(ServiceReference<?> ref, Object plugin) {
        Object components = ref.getProperty("component.name");
        String base = components instanceof String s ? s.substring(s.lastIndexOf('.') + 1)
                : plugin == null ? "plugin" : plugin.getClass().getSimpleName();
        return base + "-" + UUID.randomUUID();
    }
}
