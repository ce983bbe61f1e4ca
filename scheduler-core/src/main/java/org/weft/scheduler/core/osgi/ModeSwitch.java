package org.weft.scheduler.core.osgi;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on the components of the kind of process this is, from the framework property
 * {@code weft.mode} that {@code bin/weft} sets: {@code local} and {@code demo} (the default) run
 * the local cluster; {@code scheduler} runs it with no workers of its own and listens for worker
 * processes and clients; {@code worker} runs one worker that joins a scheduler, and no scheduler;
 * {@code nanny} runs none of them here (the nanny bundle's own component watches a worker process).
 * Before it enables them it sets up the node's preloads ({@link NodePreloads}); if one fails it
 * enables nothing.
 */
@Component(immediate = true)
public final class ModeSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(ModeSwitch.class);
    public static final String MODE = "weft.mode";

    private ServiceRegistration<NodePreloads> preloadsService;
    private NodePreloads preloads;

    @Activate
    void activate(ComponentContext context) {
        String mode = mode(context.getBundleContext().getProperty(MODE));
        // the node's preloads first: if one fails, nothing of the node starts
        preloads = NodePreloads.setUp(context.getBundleContext(), mode);
        if (preloads == null) {
            return;
        }
        preloadsService = context.getBundleContext().registerService(NodePreloads.class, preloads, null);
        switch (mode) {
            case "worker" -> context.enableComponent(WorkerProcessComponent.class.getName());
            case "nanny" -> {
                // the nanny bundle (org.weft.nanny) runs the nanny; no scheduler or worker here
            }
            case "scheduler" -> {
                context.enableComponent(LocalClusterComponent.class.getName());
                context.enableComponent(SchedulerServerComponent.class.getName());
            }
            default -> context.enableComponent(LocalClusterComponent.class.getName());
        }
        LOG.debug("weft runs as a {} process", mode);
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
    static String mode(String property) {
        return property == null || property.isBlank() ? "local" : property.trim();
    }
}
