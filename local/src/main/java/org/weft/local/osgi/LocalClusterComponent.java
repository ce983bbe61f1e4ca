package org.weft.local.osgi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.spi.SchedulerConnection;
import org.weft.client.spi.SchedulerEndpoint;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.preload.NodePreloads;
import org.weft.scheduler.core.cluster.SchedulerService;
import org.weft.scheduler.core.osgi.ClusterSettings;
import org.weft.scheduler.core.osgi.LiveSettings;
import org.weft.scheduler.core.osgi.ModeSwitch;
import org.weft.scheduler.core.osgi.PreloadedSchedulerPlugins;
import org.weft.scheduler.core.osgi.RunningScheduler;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;
import org.weft.worker.osgi.WorkerTarget;
import org.weft.worker.state.WorkerResources;

/**
 * Runs the local cluster inside the framework ({@code weft local}, {@code weft demo}): its scheduler
 * as the {@link RunningScheduler} the scheduler bundle's components use, the cluster as a
 * {@link SchedulerEndpoint}, and its workers as the {@link WorkerTarget} the worker bundle's plugin
 * binder fills. Starts once {@link ModeSwitch} registered the scheduler's {@link NodePreloads} in
 * any mode but {@code scheduler} (a scheduler process does not install this bundle).
 * Size from framework properties {@code weft.workers} (default 2) and {@code weft.threads}
 * (default: cores / workers), worker resources from {@code weft.resources} or else
 * {@code worker.resources}; the rest from {@link ClusterSettings} ({@code etc/org.weft.scheduler.cfg}),
 * whose changes apply to the running cluster ({@link #modified}). The scheduler's preloads
 * ({@link NodePreloads}) were set up before; the plugins they added start before anything else
 * reaches the cluster. Tells the launcher it is
 * ready through a {@code Runnable} service with {@code weft.ready=true}, if there is one.
 */
@Component(service = {RunningScheduler.class, SchedulerEndpoint.class, LocalClusterComponent.class, WorkerTarget.class},
        configurationPid = ClusterSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class LocalClusterComponent implements RunningScheduler, SchedulerEndpoint, WorkerTarget {

    private static final Logger LOG = LoggerFactory.getLogger(LocalClusterComponent.class);
    public static final String WORKERS = "weft.workers";
    public static final String THREADS = "weft.threads";
    /** Framework property set by {@code weft local --resources}; overrides {@code worker.resources}. */
    public static final String RESOURCES = "weft.resources";

    private final LocalCluster cluster;
    private final NodePreloads preloads;
    /** The settings the cluster runs with. */
    private final LiveSettings settings;

    @Activate
    public LocalClusterComponent(BundleContext context, Map<String, Object> properties,
            @Reference(target = "(!(" + ModeSwitch.MODE + "=scheduler))") NodePreloads preloads) {
        long begin = System.nanoTime();
        this.settings = new LiveSettings(properties, commandLineResources(context));
        int workers = intProperty(context, WORKERS, 2);
        int threads = intProperty(context, THREADS, Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers)));
        LocalClusterConfig started = new LocalClusterConfig(workers, threads, settings.scheduler(), settings.plugins(),
                settings.workerResources());
        this.preloads = preloads;
        // the preloads' plugins start before the local workers join: they see them join
        this.cluster = LocalCluster.start(started, TaskFunctionRegistry.withBuiltins(), c -> PreloadedSchedulerPlugins.startOn(preloads, c.scheduler()));
        LOG.info("Weft local cluster ready: {} workers x {} threads in {} ms", started.workers(),
                started.threadsPerWorker(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        RunningScheduler.readyUntilSelfClose(context, cluster.service());
    }

    /** {@code weft local --resources}, or null if not given (or not valid: then workers offer none). */
    private static Map<String, Double> commandLineResources(BundleContext context) {
        String spec = context.getProperty(RESOURCES);
        if (spec == null || spec.isBlank()) {
            return null;
        }
        try {
            return WorkerResources.parse(spec);
        } catch (IllegalArgumentException e) {
            LOG.warn("framework property {} is not valid, workers offer no resources: {}", RESOURCES, e.getMessage());
            return Map.of();
        }
    }

    /**
     * A saved change to {@code etc/org.weft.scheduler.cfg} reaches the scheduler and the workers
     * (see {@link LiveSettings#modified}).
     */
    @Modified
    void modified(Map<String, Object> properties) {
        settings.modified(properties, (before, scheduler, plugins) -> cluster.reconfigure(scheduler, plugins));
    }

    private static int intProperty(BundleContext context, String name, int fallback) {
        String value = context.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1 && !WORKERS.equals(name) || n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            LOG.warn("framework property {}={} is not a valid count; using {}", name, value, fallback);
            return fallback;
        }
    }

    public LocalCluster cluster() {
        return cluster;
    }

    @Override
    public SchedulerService service() {
        return cluster.service();
    }

    @Override
    public String address() {
        return cluster.address();
    }

    @Override
    public CompletableFuture<List<WorkerPluginOutcome>> addWorkerPlugin(WorkerPluginFactory factory) {
        return cluster.addWorkerPlugin(factory);
    }

    @Override
    public CompletableFuture<Void> removeWorkerPlugin(WorkerPluginFactory factory, boolean awaitReplacement) {
        return cluster.removeWorkerPlugin(factory, awaitReplacement);
    }

    @Override
    public void dropWorkerHandover(String name) {
        cluster.dropWorkerHandover(name);
    }

    @Override
    public TaskFunctionRegistry functions() {
        return cluster.functions();
    }

    /** The local cluster's scheduler runs the scheduler plugins ({@link PluginBinder}). */
    @Override
    public boolean runsSchedulerPlugins() {
        return true;
    }

    @Override
    public SchedulerConnection connect() {
        return cluster.connect();
    }

    @Deactivate
    void stop() {
        preloads.tearDown();
        cluster.close();
    }
}
