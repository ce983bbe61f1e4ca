package org.weft.worker.osgi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.depot.osgi.FrameworkBundleHost;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.node.osgi.LauncherSignals;
import org.weft.node.osgi.TransportSettings;
import org.weft.preload.NodePreloads;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;
import org.weft.worker.process.WorkerProcess;
import org.weft.worker.state.WorkerResources;

/**
 * In a worker process ({@code bin/weft worker tcp://...}), runs one worker that joins the scheduler
 * at {@code weft.scheduler.address}; enabled by {@link WorkerModeSwitch}. Threads from
 * {@code weft.threads} (default: the cores), resources from {@code weft.resources} ({@code NAME=auto}:
 * as many as a plugin counts here, see {@link AutoResources}), the name from
 * {@code weft.worker.name}, how long it tries to reach a lost scheduler from
 * {@code weft.worker.reconnectTimeoutMillis} (default 60 s). Task functions and worker plugins
 * registered as services in this framework run on it ({@link WorkerPluginBinder}), including those of the
 * bundles the scheduler's depot sends, which are installed here first; scheduler plugins do not.
 * The worker's preloads ({@link NodePreloads}) were set up before; the worker plugins they added
 * are set up before it joins. When the worker ends, the process exits: 0 when the scheduler
 * closed it, 1 when it lost the scheduler, 75 when the scheduler restarted it and a nanny
 * ({@code weft.nanny.pid}) starts a fresh process.
 */
@Component(immediate = true, enabled = false, service = {WorkerProcessComponent.class, WorkerTarget.class},
        configurationPid = WorkerSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class WorkerProcessComponent implements WorkerTarget {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcessComponent.class);
    private static final long DEFAULT_RECONNECT_MILLIS = 60_000;
    private static final long RETIRE_TIMEOUT_MILLIS = 30_000;
    /** Set by bin/weft in a worker its nanny started: the nanny's process id. */
    static final String NANNY_PID = "weft.nanny.pid";
    /** Framework properties set by {@code bin/weft worker}: {@code --nthreads}, {@code --resources}. */
    static final String THREADS = "weft.threads";
    static final String RESOURCES = "weft.resources";

    private final TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
    private final WorkerProcess worker;
    private volatile boolean stopping;

    @Activate
    public WorkerProcessComponent(BundleContext context, Map<String, Object> properties, @Reference NodePreloads preloads) {
        WorkerSettings settings = WorkerSettings.read(properties, LOG::warn);
        String scheduler = context.getProperty("weft.scheduler.address");
        if (scheduler == null || scheduler.isBlank()) {
            throw new IllegalStateException("a worker process needs weft.scheduler.address (bin/weft worker tcp://HOST:PORT)");
        }
        AutoResources.Spec resources = AutoResources.split(context.getProperty(RESOURCES));
        WorkerProcess.Config config = new WorkerProcess.Config(scheduler.trim(), context.getProperty("weft.worker.name"),
                positive(context.getProperty(THREADS), Runtime.getRuntime().availableProcessors()),
                resources.fixed() == null || resources.fixed().isBlank() && resources.auto().isEmpty()
                        ? settings.workerResources() : WorkerResources.parse(resources.fixed()),
                TransportSettings.host(context), TransportSettings.transport(context),
                positive(context.getProperty("weft.worker.reconnectTimeoutMillis"), DEFAULT_RECONNECT_MILLIS),
                settings.heartbeatMillis(), settings.plugins(), settings.validate());
        this.worker = WorkerProcess.create(config, functions, new FrameworkBundleHost(context));
        try {
            PreloadedWorkerPlugins.startOn(preloads, worker::addWorkerPlugin); // the preloads' worker plugins, before it joins
        } catch (IllegalStateException e) {
            worker.close();
            throw e;
        }
        String nanny = context.getProperty(NANNY_PID);
        if (nanny != null && !nanny.isBlank()) {
            worker.restartThroughNanny(System.getenv(WorkerProcess.NANNY_ID_ENV));
            LOG.info("worker {} runs under the nanny with pid {}: a restart ends this process for the nanny to start a fresh one",
                    worker.name(), nanny.trim());
        }
        // joining may take up to the reconnect timeout: not on SCR's thread, which would hold up
        // whoever asks for this component's services (the plugin binder) meanwhile
        Thread join = new Thread(() -> join(context, scheduler.trim(), resources.auto()), "weft-join");
        join.setDaemon(true);
        join.start();
    }

    private void join(BundleContext context, String scheduler, List<String> autoResources) {
        try {
            if (!autoResources.isEmpty()) { // NAME=auto: counted by a plugin, which starts after this component
                worker.offer(AutoResources.resolve(autoResources, context, AutoResources.WAIT_MILLIS));
            }
            worker.join();
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.error("{}", e.getMessage());
            LauncherSignals.exit(context, 1);
            return;
        }
        LauncherSignals.announce(context, "worker " + worker.name() + " at " + worker.address() + " joined " + scheduler);
        LauncherSignals.ready(context);
        // off the worker's threads (the launcher's exit stops this component, which closes the worker)
        worker.exited().thenAcceptAsync(exit -> {
            if (!stopping) {
                LOG.info("worker {} ended: {}", worker.name(), exit.reason());
                LauncherSignals.exit(context, exit.status());
            }
        });
    }

    private static long positive(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long n = Long.parseLong(value.trim());
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1: " + value);
        }
        return n;
    }

    private static int positive(String value, int fallback) {
        return (int) positive(value, (long) fallback);
    }

    /** Scheduler plugins run on the scheduler's process. */
    @Override
    public boolean runsSchedulerPlugins() {
        return false;
    }

    @Override
    public CompletableFuture<List<WorkerPluginOutcome>> addWorkerPlugin(WorkerPluginFactory factory) {
        return worker.addWorkerPlugin(factory);
    }

    @Override
    public CompletableFuture<Void> removeWorkerPlugin(WorkerPluginFactory factory, boolean awaitReplacement) {
        return worker.removeWorkerPlugin(factory, awaitReplacement);
    }

    @Override
    public void dropWorkerHandover(String name) {
        worker.node().dropHandover(name);
    }

    @Override
    public TaskFunctionRegistry functions() {
        return functions;
    }

    /** Stopping the framework (SIGTERM, Ctrl-C) retires the worker: its unique results move first. */
    @Deactivate
    void stop() {
        stopping = true;
        worker.retire(RETIRE_TIMEOUT_MILLIS);
    }
}
