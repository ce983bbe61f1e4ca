package org.weft.scheduler.core.osgi;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.spi.SchedulerConnection;
import org.weft.client.spi.SchedulerEndpoint;
import org.weft.scheduler.core.cluster.LocalCluster;
import org.weft.scheduler.core.cluster.LocalClusterConfig;
import org.weft.scheduler.core.functions.TaskFunctionRegistry;
import org.weft.scheduler.core.plugin.PluginHostConfig;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.worker.WorkerResources;

/**
 * Runs the local cluster inside the framework and offers it as a {@link SchedulerEndpoint}.
 * Size from framework properties {@code weft.workers} (default 2) and {@code weft.threads}
 * (default: cores / workers), worker resources from {@code weft.resources} or else
 * {@code worker.resources}; the rest from {@link ClusterSettings}. Tells the launcher it is
 * ready through a {@code Runnable} service with {@code weft.ready=true}, if there is one.
 */
@Component(service = {SchedulerEndpoint.class, LocalClusterComponent.class},
        configurationPid = ClusterSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ClusterSettings.class)
public final class LocalClusterComponent implements SchedulerEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(LocalClusterComponent.class);
    public static final String WORKERS = "weft.workers";
    public static final String THREADS = "weft.threads";
    /** Framework property set by {@code weft local --resources}; overrides {@code worker.resources}. */
    public static final String RESOURCES = "weft.resources";

    private final LocalCluster cluster;
    private final LocalClusterConfig started;

    @Activate
    public LocalClusterComponent(BundleContext context, ClusterSettings settings) {
        long begin = System.nanoTime();
        this.started = config(context, settings);
        this.cluster = LocalCluster.start(started, TaskFunctionRegistry.withBuiltins());
        LOG.info("Weft local cluster ready: {} workers x {} threads in {} ms", started.workers(),
                started.threadsPerWorker(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        LauncherSignals.ready(context);
        cluster.onSelfClose(reason -> {
            LOG.info("Weft is stopping: the scheduler closed itself ({})", reason);
            LauncherSignals.exit(context, 0);
        });
    }

    private static long nonNegative(String key, long value, long fallback) {
        if (value < 0) {
            LOG.warn("{}={} in {} is negative; using {}", key, value, ClusterSettings.PID, fallback);
            return fallback;
        }
        return value;
    }

    private static LocalClusterConfig config(BundleContext context, ClusterSettings settings) {
        int workers = intProperty(context, WORKERS, 2);
        int threads = intProperty(context, THREADS, Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers)));
        SchedulerConfig scheduler = schedulerConfig(settings);
        PluginHostConfig plugins = new PluginHostConfig(settings.plugin_maxConsecutiveFailures(),
                TimeUnit.MILLISECONDS.toNanos(settings.plugin_slowCallMillis()), settings.plugin_handoverMillis(),
                settings.plugin_handoverCapacity());
        return new LocalClusterConfig(workers, threads, scheduler, plugins, resources(context, settings));
    }

    private static Map<String, Double> resources(BundleContext context, ClusterSettings settings) {
        String fromCommandLine = context.getProperty(RESOURCES);
        boolean commandLine = fromCommandLine != null && !fromCommandLine.isBlank();
        String spec = commandLine ? fromCommandLine : settings.worker_resources();
        try {
            return WorkerResources.parse(spec);
        } catch (IllegalArgumentException e) {
            LOG.warn("{} is not valid, workers offer no resources: {}",
                    commandLine ? "framework property " + RESOURCES : "worker.resources in " + ClusterSettings.PID,
                    e.getMessage());
            return Map.of();
        }
    }

    private static SchedulerConfig schedulerConfig(ClusterSettings settings) {
        double saturation;
        try {
            saturation = SchedulerConfig.parseSaturation(settings.workerSaturation());
        } catch (IllegalArgumentException e) {
            LOG.warn("{} workerSaturation: {}; using {}", ClusterSettings.PID, e.getMessage(),
                    SchedulerConfig.DEFAULT_WORKER_SATURATION);
            saturation = SchedulerConfig.DEFAULT_WORKER_SATURATION;
        }
        return new SchedulerConfig(settings.validate(), settings.storyCapacity(), settings.allowedFailures(), saturation,
                settings.fifoTimeoutMillis(), settings.bandwidth(), settings.workStealing(),
                nonNegative("workerTtlMillis", settings.workerTtlMillis(), SchedulerConfig.DEFAULT_WORKER_TTL_MILLIS),
                nonNegative("idleTimeoutMillis", settings.idleTimeoutMillis(), SchedulerConfig.DEFAULT_IDLE_TIMEOUT_MILLIS));
    }

    /** Settings are read at start; a real change is announced, the same values arriving late are not. */
    @Modified
    void modified(BundleContext context, ClusterSettings settings) {
        if (!config(context, settings).equals(started)) {
            LOG.warn("configuration {} changed; the new settings apply when Weft next starts", ClusterSettings.PID);
        }
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
    public SchedulerConnection connect() {
        return cluster.connect();
    }

    @Deactivate
    void stop() {
        cluster.close();
    }
}
