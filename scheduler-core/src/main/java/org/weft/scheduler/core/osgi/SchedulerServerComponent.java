package org.weft.scheduler.core.osgi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.weft.depot.osgi.DepotComponent;
import org.weft.node.osgi.LauncherSignals;
import org.weft.node.osgi.TransportSettings;
import org.weft.plugin.api.WorkerProcesses;
import org.weft.scheduler.core.remote.SchedulerServer;

/**
 * In a scheduler process ({@code bin/weft scheduler}), listens for worker processes and clients
 * on TCP and says where ({@code scheduler at tcp://HOST:PORT}); enabled by {@link ModeSwitch}. Every
 * worker process gets the bundles of the depot ({@link DepotComponent}) before its first task.
 */
@Component(immediate = true, enabled = false, service = {SchedulerServerComponent.class, WorkerProcesses.class})
public final class SchedulerServerComponent implements WorkerProcesses {

    /** Dask's default scheduler port. */
    public static final int DEFAULT_PORT = 8786;

    private final SchedulerServer server;

    @Activate
    public SchedulerServerComponent(@Reference RunningScheduler running, @Reference DepotComponent depot,
            BundleContext context) {
        this.server = SchedulerServer.start(running.service(), new SchedulerServer.Config(TransportSettings.host(context),
                TransportSettings.port(context, DEFAULT_PORT), TransportSettings.transport(context)), depot.distributor());
        LauncherSignals.announce(context, "scheduler at " + server.address());
    }

    public SchedulerServer server() {
        return server;
    }

    /** Its worker processes, for plugins here (the resource monitor gathers their traces). */
    @Override
    public CompletableFuture<List<Reply>> runOnEach(String function, List<Object> args) {
        return server.runOnEach(function, args);
    }

    @Deactivate
    void stop() {
        server.close();
    }
}
