package org.weft.scheduler.core.osgi;

import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.spi.SchedulerConnection;
import org.weft.client.spi.SchedulerEndpoint;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.node.osgi.FunctionServices;
import org.weft.plugin.api.Serializer;
import org.weft.plugin.api.TaskFunction;
import org.weft.preload.NodePreloads;
import org.weft.scheduler.core.cluster.SchedulerService;

/**
 * The scheduler of a scheduler process ({@code bin/weft scheduler}, enabled by {@link ModeSwitch}):
 * a {@link SchedulerService} with no worker of its own, which worker processes join through
 * {@link SchedulerServerComponent}. Settings from {@link ClusterSettings}
 * ({@code etc/org.weft.scheduler.cfg}), whose changes apply to the running scheduler
 * ({@link #modified}). The scheduler's preloads ({@link NodePreloads}) were set up before; the
 * plugins they added start before anything else reaches the scheduler. Tells the launcher it is
 * ready, and exits when the scheduler closes itself (idle timeout). Binds the task functions and
 * serializers of any bundle, as the worker bundle's plugin binder does where workers run here:
 * the scheduler runs task functions too ({@code run_on_scheduler}). In {@code weft local} and
 * {@code weft demo} the local cluster's component runs the scheduler instead, with its workers.
 */
@Component(service = {RunningScheduler.class, SchedulerEndpoint.class}, enabled = false,
        configurationPid = ClusterSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ClusterSettings.class)
public final class SchedulerComponent implements RunningScheduler, SchedulerEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);

    private final SchedulerService service;
    private final NodePreloads preloads;
    private final LiveSettings settings;
    private final FunctionServices functionServices;

    @Activate
    public SchedulerComponent(BundleContext context, Map<String, Object> properties, @Reference NodePreloads preloads) {
        this.preloads = preloads;
        this.settings = new LiveSettings(properties, null);
        this.service = new SchedulerService(settings.scheduler(), settings.plugins(), TaskFunctionRegistry.withBuiltins());
        this.functionServices = new FunctionServices(service::functions);
        service.startScheduler();
        try {
            PreloadedSchedulerPlugins.startOn(preloads, service.scheduler());
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        service.startTimers(settings.scheduler());
        LOG.info("Weft scheduler ready");
        RunningScheduler.readyUntilSelfClose(context, service);
    }

    /** A saved change to {@code etc/org.weft.scheduler.cfg}: see {@link LiveSettings#modified}. */
    @Modified
    void modified(Map<String, Object> properties) {
        settings.modified(properties, service::reconfigure);
    }

    /** See {@link FunctionServices#bindSerializer}. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, service = Serializer.class)
    void bindSerializer(Serializer<?> serializer) {
        functionServices.bindSerializer(serializer);
    }

    void unbindSerializer(Serializer<?> serializer) {
        functionServices.unbindSerializer(serializer);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTaskFunction(TaskFunction function, Map<String, Object> props) {
        functionServices.bindTaskFunction(function, props);
    }

    void unbindTaskFunction(TaskFunction function, Map<String, Object> props) {
        functionServices.unbindTaskFunction(function, props);
    }

    @Override
    public SchedulerService service() {
        return service;
    }

    @Override
    public String address() {
        return service.address();
    }

    @Override
    public SchedulerConnection connect() {
        return service.connect();
    }

    @Deactivate
    void stop() {
        preloads.tearDown();
        service.close();
    }
}
