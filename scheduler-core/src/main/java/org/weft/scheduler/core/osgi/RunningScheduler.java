package org.weft.scheduler.core.osgi;

import org.osgi.framework.BundleContext;
import org.slf4j.LoggerFactory;
import org.weft.node.osgi.LauncherSignals;
import org.weft.scheduler.core.cluster.SchedulerService;

/**
 * The service of the component that runs this process's scheduler: {@link SchedulerComponent} in a
 * scheduler process ({@code bin/weft scheduler}), the local cluster's component (the
 * {@code org.weft.local} bundle) in {@code weft local} and {@code weft demo}. The scheduler's
 * commands, plugin binder, server and snapshot service reach the scheduler through it, whoever
 * runs the workers.
 */
public interface RunningScheduler {

    /** The scheduler's side of the cluster. */
    SchedulerService service();

    /**
     * Tells the launcher this process is ready, and to exit with status 0 when {@code service}'s
     * scheduler closes itself (idle timeout).
     */
    static void readyUntilSelfClose(BundleContext context, SchedulerService service) {
        LauncherSignals.ready(context);
        service.onSelfClose(reason -> {
            LoggerFactory.getLogger(RunningScheduler.class).info("Weft is stopping: the scheduler closed itself ({})",
                    reason);
            LauncherSignals.exit(context, 0);
        });
    }
}
