package org.weft.worker.osgi;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.weft.node.osgi.LauncherSignals;
import org.weft.plugin.api.PreloadNode.Role;
import org.weft.preload.NodePreloads;

/**
 * Turns the worker process on in a process started as one ({@code weft.mode=worker}, set by
 * {@code bin/weft worker}): sets up the worker's preloads ({@link NodePreloads}), offers them as a
 * service, and enables {@link WorkerProcessComponent}, which starts the plugins they added before
 * it joins. If a preload fails, nothing is enabled and the process exits with status 1. In every
 * other mode it does nothing: the scheduler bundle's mode switch, or the nanny's, runs that process.
 */
@Component(immediate = true)
public final class WorkerModeSwitch {

    static final String MODE = "weft.mode";

    private ServiceRegistration<NodePreloads> preloadsService;
    private NodePreloads preloads;

    @Activate
    void activate(ComponentContext context) {
        BundleContext bundle = context.getBundleContext();
        String mode = bundle.getProperty(MODE);
        if (mode == null || !mode.trim().equals("worker")) {
            return;
        }
        // the worker's preloads first: if one fails, the worker neither starts nor joins
        preloads = NodePreloads.setUp(bundle, Role.WORKER, String.valueOf(bundle.getProperty("weft.scheduler.address")).trim(),
                status -> LauncherSignals.exit(bundle, status));
        if (preloads == null) {
            return;
        }
        preloadsService = bundle.registerService(NodePreloads.class, preloads, null);
        context.enableComponent(WorkerProcessComponent.class.getName());
    }

    /** The worker stops with the service it needs, then the preloads are torn down. */
    @Deactivate
    void deactivate() {
        if (preloadsService != null) {
            preloadsService.unregister();
            preloads.tearDown();
        }
    }
}
