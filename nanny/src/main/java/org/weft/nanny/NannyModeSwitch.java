package org.weft.nanny;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.weft.plugin.api.PreloadNode.Role;
import org.weft.preload.NodePreloads;

/**
 * Turns the nanny on in a process started as one ({@code weft.mode=nanny}, set by {@code bin/weft
 * worker}): sets up the nanny's preloads ({@code --preload-nanny}) first, then enables
 * {@link NannyComponent}, so they are set up before the first worker process starts. If one fails,
 * the nanny starts no worker and exits with status 1.
 */
@Component(immediate = true)
public final class NannyModeSwitch {

    static final String MODE = "weft.mode";

    private ServiceRegistration<NodePreloads> preloadsService;
    private NodePreloads preloads;

    @Activate
    void activate(ComponentContext context) {
        BundleContext bundle = context.getBundleContext();
        if (!"nanny".equals(String.valueOf(bundle.getProperty(MODE)).trim())) {
            return;
        }
        preloads = NodePreloads.setUp(bundle, Role.NANNY, String.valueOf(bundle.getProperty("weft.scheduler.address")).trim(),
                status -> LauncherCalls.exit(bundle, status));
        if (preloads == null) {
            return;
        }
        preloadsService = bundle.registerService(NodePreloads.class, preloads, null);
        context.enableComponent(NannyComponent.class.getName());
    }

    /** The nanny stops first (its worker with it), then the preloads are torn down. */
    @Deactivate
    void deactivate() {
        if (preloadsService != null) {
            preloadsService.unregister();
            preloads.tearDown();
        }
    }
}
