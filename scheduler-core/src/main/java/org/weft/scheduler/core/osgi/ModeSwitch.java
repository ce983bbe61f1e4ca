package org.weft.scheduler.core.osgi;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.node.osgi.LauncherSignals;
import org.weft.node.osgi.TransportSettings;
import org.weft.plugin.api.PreloadNode.Role;
import org.weft.preload.NodePreloads;
import org.weft.scheduler.core.cluster.SchedulerService;

/**
 * Turns on the scheduler's components in the kinds of process that run one, from the framework
 * property {@code weft.mode} that {@code bin/weft} sets: {@code scheduler} runs a scheduler with no
 * workers of its own ({@link SchedulerComponent}) and listens for worker processes and clients
 * ({@link SchedulerServerComponent}); {@code local} and {@code demo} (the default) leave the
 * scheduler to the local cluster's component (the {@code org.weft.local} bundle, which this bundle
 * does not need), which takes the {@link NodePreloads} service registered here, with
 * {@value #MODE} as a property. A {@code worker} process (the worker bundle's
 * {@code WorkerModeSwitch}) and a {@code nanny} (the nanny bundle's) run none of it, and do not
 * install this bundle. Before anything runs it sets up the scheduler's preloads; if one fails it
 * registers and enables nothing.
 */
@Component(immediate = true)
public final class ModeSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(ModeSwitch.class);
    public static final String MODE = "weft.mode";

    private ServiceRegistration<NodePreloads> preloadsService;
    private NodePreloads preloads;

    @Activate
    void activate(ComponentContext context) {
        BundleContext bundle = context.getBundleContext();
        String mode = mode(bundle.getProperty(MODE));
        if (mode.equals("worker") || mode.equals("nanny")) {
            LOG.debug("weft runs as a {} process: no scheduler here", mode);
            return;
        }
        // the node's preloads first: if one fails, nothing of the node starts
        preloads = NodePreloads.setUp(bundle, Role.SCHEDULER, schedulerAddress(bundle, mode),
                status -> LauncherSignals.exit(bundle, status));
        if (preloads == null) {
            return;
        }
        preloadsService = bundle.registerService(NodePreloads.class, preloads,
                new java.util.Hashtable<>(java.util.Map.of(MODE, mode)));
        if (mode.equals("scheduler")) {
            context.enableComponent(SchedulerComponent.class.getName());
            context.enableComponent(SchedulerServerComponent.class.getName());
        }
        LOG.debug("weft runs as a {} process", mode);
    }

    /** Where the scheduler is: the address a scheduler process will listen on, or in-process. */
    private static String schedulerAddress(BundleContext context, String mode) {
        return mode.equals("scheduler") ? "tcp://" + TransportSettings.host(context) + ":"
                + TransportSettings.port(context, SchedulerServerComponent.DEFAULT_PORT) : SchedulerService.ADDRESS;
    }

    /** The node's components stop with the service they need, then the preloads are torn down. */
    @Deactivate
    void deactivate() {
        if (preloadsService != null) {
            preloadsService.unregister();
            preloads.tearDown();
        }
    }

    /** The mode named, or {@code local} when none is. */
    public static String mode(String property) {
        return property == null || property.isBlank() ? "local" : property.trim();
    }
}
