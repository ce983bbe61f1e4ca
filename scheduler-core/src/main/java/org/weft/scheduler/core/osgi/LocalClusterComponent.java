package org.weft.scheduler.core.osgi;

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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.spi.SchedulerConnection;
import org.weft.client.spi.SchedulerEndpoint;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.node.osgi.LauncherSignals;
import org.weft.preload.NodePreloads;
import org.weft.scheduler.core.cluster.LocalCluster;
import org.weft.scheduler.core.cluster.LocalClusterConfig;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;
import org.weft.worker.osgi.WorkerTarget;
import org.weft.worker.state.WorkerResources;

/**
 * Runs the local cluster inside the framework and offers it as a {@link SchedulerEndpoint}
 * (enabled by {@link ModeSwitch} in every process kind but a worker).
 * Size from framework properties {@code weft.workers} (default 2) and {@code weft.threads}
 * (default: cores / workers), worker resources from {@code weft.resources} or else
 * {@code worker.resources}; the rest from {@link ClusterSettings} ({@code etc/org.weft.scheduler.cfg}),
 * whose changes apply to the running cluster ({@link #modified}). The scheduler's preloads
 * ({@link NodePreloads}) were set up before; the plugins they added start before anything else
 * reaches the cluster. Tells the launcher it is
 * ready through a {@code Runnable} service with {@code weft.ready=true}, if there is one.
 */
@Component(service = {SchedulerEndpoint.class, LocalClusterComponent.class, WorkerTarget.class}, enabled = false,
        configurationPid = ClusterSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ClusterSettings.class)
public final class LocalClusterComponent implements SchedulerEndpoint, WorkerTarget {

    private static final Logger LOG = LoggerFactory.getLogger(LocalClusterComponent.class);
    public static final String WORKERS = "weft.workers";
    public static final String THREADS = "weft.threads";
    /** Framework property set by {@code weft local --resources}; overrides {@code worker.resources}. */
    public static final String RESOURCES = "weft.resources";

    private final LocalCluster cluster;
    private final NodePreloads preloads;
    private final Map<String, Double> commandLineResources;
    /** The settings the cluster runs with; SCR calls activate and modified one at a time. */
    private SchedulerSettings running;

    @Activate
    public LocalClusterComponent(BundleContext context, Map<String, Object> properties, @Reference NodePreloads preloads) {
        long begin = System.nanoTime();
        this.commandLineResources = commandLineResources(context);
        SchedulerSettings.Read read = SchedulerSettings.read(properties, SchedulerSettings.DEFAULTS);
        read.rejected().forEach(LOG::warn);
        this.running = withCommandLine(read.settings());
        // a scheduler process runs no workers of its own unless told to: worker processes join it
        int workers = intProperty(context, WORKERS, "scheduler".equals(ModeSwitch.mode(context.getProperty(ModeSwitch.MODE))) ? 0 : 2);
        int threads = intProperty(context, THREADS, Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers)));
        LocalClusterConfig started = new LocalClusterConfig(workers, threads, running.scheduler(), running.plugins(),
                running.workerResources());
        this.preloads = preloads;
        // the preloads' plugins start before the local workers join: they see them join
        this.cluster = LocalCluster.start(started, TaskFunctionRegistry.withBuiltins(), c -> PreloadedSchedulerPlugins.startOn(preloads, c.scheduler()));
        LOG.info("Weft local cluster ready: {} workers x {} threads in {} ms", started.workers(),
                started.threadsPerWorker(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        LauncherSignals.ready(context);
        cluster.onSelfClose(reason -> {
            LOG.info("Weft is stopping: the scheduler closed itself ({})", reason);
            LauncherSignals.exit(context, 0);
        });
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

    private SchedulerSettings withCommandLine(SchedulerSettings settings) {
        return commandLineResources == null ? settings : settings.withWorkerResources(commandLineResources);
    }

    /**
     * A saved change to {@code etc/org.weft.scheduler.cfg}: every setting but those in
     * {@link SchedulerSettings#NEED_RESTART} applies to the running cluster, between two stimuli,
     * and is logged with its old and new value; a malformed value is rejected and the running one
     * stays; a change that needs a restart is logged as such. The same values arriving again change nothing.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        SchedulerSettings.Read read = SchedulerSettings.read(properties, running);
        read.rejected().forEach(LOG::warn);
        SchedulerSettings wanted = withCommandLine(read.settings());
        List<String> later = wanted.changesFrom(running, true);
        if (!later.isEmpty()) {
            LOG.warn("{}: {} changed; this applies when Weft next starts", ClusterSettings.PID, String.join(", ", later));
        }
        List<String> now = wanted.changesFrom(running, false);
        if (now.isEmpty()) {
            return;
        }
        running = wanted.keepingRestartOnly(running);
        cluster.reconfigure(running.scheduler(), running.plugins()).whenComplete((done, error) -> {
            if (error == null) {
                LOG.info("{}: applied to the running scheduler: {}", ClusterSettings.PID, String.join(", ", now));
            } else {
                LOG.warn("{}: could not apply {}", ClusterSettings.PID, String.join(", ", now), error);
            }
        });
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
