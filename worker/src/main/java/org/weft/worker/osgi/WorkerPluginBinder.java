package org.weft.worker.osgi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
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
import org.weft.node.osgi.FunctionServices;
import org.weft.node.osgi.PluginHandovers;
import org.weft.node.osgi.PluginReferences;
import org.weft.plugin.api.NannyPlugin;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.Serializer;
import org.weft.plugin.api.TaskFunction;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerView;
import org.weft.pluginhost.PluginOrigin;
import org.weft.worker.WorkerPluginFactory;

/**
 * Binds worker plugins, task functions and serializers from any bundle into this process's workers
 * ({@link WorkerTarget}: a worker process's one worker, or a local cluster's workers), multiple,
 * dynamic, greedy: install a bundle and its worker plugins are set up on every worker; update it
 * and they are replaced without losing an event; uninstall it and they are torn down. Bind and
 * unbind only enqueue work for the loops. Scheduler plugins are the scheduler bundle's binder's;
 * in a worker process, where there is none, they are only named in the log, as nanny plugins are
 * everywhere but in a nanny.
 */
@Component(immediate = true)
public final class WorkerPluginBinder {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPluginBinder.class);
    /** What a worker plugin service that gives no object fails its setup with. */
    static final String UNAVAILABLE = "its component could not be created (the framework's error is in weft.log)";

    private final WorkerTarget target;
    private final BundleContext context;
    private final Map<Long, WorkerPluginFactory> workerPlugins = new ConcurrentHashMap<>();
    /** Per bundle id, the names of its worker plugins whose events the workers hold while the bundle is stopped. */
    private final PluginHandovers handovers;
    private final FunctionServices functionServices;

    @Activate
    public WorkerPluginBinder(@Reference WorkerTarget target, BundleContext context) {
        this.target = target;
        this.functionServices = new FunctionServices(target::functions);
        this.context = context;
        this.handovers = new PluginHandovers(target::dropWorkerHandover);
        context.addBundleListener(handovers);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(handovers);
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
        PluginOptions options = options(ref);
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
                return instance != null ? instance : new UnavailableWorkerPlugin(UNAVAILABLE);
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
     * A bundle being stopped may be on its way to an update: each worker holds the plugin's events
     * until the new revision's plugin is set up (old {@code teardown}, new {@code setup}, nothing
     * lost or delivered twice), or the bundle is uninstalled.
     */
    void unbindWorkerPlugin(ComponentServiceObjects<WorkerPlugin> objects, Map<String, Object> props) {
        WorkerPluginFactory factory = workerPlugins.remove((Long) props.get(Constants.SERVICE_ID));
        if (factory != null) {
            // a bundle being stopped may be on its way to an update: hold its events for the new revision
            boolean bundleStopping = handovers.holdIfStopping(objects.getServiceReference().getBundle(),
                    factory.options().name());
            target.removeWorkerPlugin(factory, bundleStopping).join();
        }
    }

    /** The same stand-in as a scheduler's for a plugin whose object could not be made: its setup fails with the reason. */
    private record UnavailableWorkerPlugin(String reason) implements WorkerPlugin {

        @Override
        public void setup(WorkerView worker) {
            throw new IllegalStateException(reason);
        }
    }

    // ---------------------------------------------------------------- plugins of other roles

    /** Said out loud rather than ignored where no scheduler runs: scheduler plugins run on the scheduler. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, service = SchedulerPlugin.class)
    void bindSchedulerPlugin(ServiceReference<SchedulerPlugin> ref) {
        if (!target.runsSchedulerPlugins()) {
            LOG.info("scheduler plugin '{}' from {} is not run here: this is a worker process, scheduler plugins run on "
                    + "the scheduler", options(ref).name(), origin(ref).bundle());
        }
    }

    void unbindSchedulerPlugin(ServiceReference<SchedulerPlugin> ref) {
        // nothing was started for it here
    }

    /** Said out loud rather than ignored: nanny plugins run in a worker's nanny process, not here. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindNannyPlugin(ServiceReference<NannyPlugin> ref) {
        LOG.info("nanny plugin '{}' from {} is not used in this process: nanny plugins run in the nanny of a worker "
                + "process (bin/weft worker without --no-nanny)", options(ref).name(), origin(ref).bundle());
    }

    void unbindNannyPlugin(ServiceReference<NannyPlugin> ref) {
        // nothing was started for it
    }

    // ---------------------------------------------------------------- serializers

    /** See {@link FunctionServices#bindSerializer}. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, service = Serializer.class)
    void bindSerializer(Serializer<?> serializer) {
        functionServices.bindSerializer(serializer);
    }

    void unbindSerializer(Serializer<?> serializer) {
        functionServices.unbindSerializer(serializer);
    }

    // ---------------------------------------------------------------- task functions

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTaskFunction(TaskFunction function, Map<String, Object> props) {
        functionServices.bindTaskFunction(function, props);
    }

    void unbindTaskFunction(TaskFunction function, Map<String, Object> props) {
        functionServices.unbindTaskFunction(function, props);
    }

    // ---------------------------------------------------------------- helpers

    private static PluginOrigin origin(ServiceReference<?> ref) {
        return PluginReferences.origin(ref);
    }

    private static PluginOptions options(ServiceReference<?> ref) {
        return PluginReferences.options(ref, null);
    }
}
