package org.weft.scheduler.core.osgi;

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
}
