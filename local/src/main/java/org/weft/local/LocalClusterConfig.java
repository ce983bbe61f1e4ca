package org.weft.local;

import java.util.Map;

import org.weft.pluginhost.PluginHostConfig;
import org.weft.scheduler.core.state.SchedulerConfig;

/**
 * How a {@link LocalCluster} is built.
 *
 * @param workers how many workers start with the cluster
 * @param threadsPerWorker executor threads per worker
 * @param scheduler the state machine's settings (validation, story size, allowed failures)
 * @param plugins the plugin host's settings
 * @param workerResources the abstract resources each worker offers, e.g. {@code GPU=1.0}; empty if none
 */
public record LocalClusterConfig(int workers, int threadsPerWorker, SchedulerConfig scheduler, PluginHostConfig plugins,
        Map<String, Double> workerResources) {

    public LocalClusterConfig {
        if (workers < 0) {
            throw new IllegalArgumentException("workers must be >= 0, was " + workers);
        }
        if (threadsPerWorker < 1) {
            throw new IllegalArgumentException("threads per worker must be >= 1, was " + threadsPerWorker);
        }
        workerResources = workerResources == null ? Map.of() : Map.copyOf(workerResources);
        workerResources.forEach((name, quantity) -> {
            if (!(quantity >= 0) || quantity.isInfinite()) {
                throw new IllegalArgumentException("resource " + name + " must be a finite number >= 0, was " + quantity);
            }
        });
    }

    /** Workers without resources. */
    public LocalClusterConfig(int workers, int threadsPerWorker, SchedulerConfig scheduler, PluginHostConfig plugins) {
        this(workers, threadsPerWorker, scheduler, plugins, Map.of());
    }

    /** {@code workers} workers sharing the machine's cores, default scheduler and plugin settings. */
    public static LocalClusterConfig of(int workers) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers));
        return new LocalClusterConfig(workers, threads, SchedulerConfig.DEFAULTS, PluginHostConfig.DEFAULTS);
    }

    public LocalClusterConfig withThreads(int threads) {
        return new LocalClusterConfig(workers, threads, scheduler, plugins, workerResources);
    }

    public LocalClusterConfig withValidation(boolean on) {
        return new LocalClusterConfig(workers, threadsPerWorker, scheduler.withValidation(on), plugins, workerResources);
    }

    public LocalClusterConfig withScheduler(SchedulerConfig schedulerConfig) {
        return new LocalClusterConfig(workers, threadsPerWorker, schedulerConfig, plugins, workerResources);
    }

    /** Workers silent longer than this are removed; 0: never. */
    public LocalClusterConfig withWorkerTtl(long millis) {
        return new LocalClusterConfig(workers, threadsPerWorker, scheduler.withWorkerTtl(millis), plugins, workerResources);
    }

    /** The cluster closes itself after this long with no work and no client activity; 0: never. */
    public LocalClusterConfig withIdleTimeout(long millis) {
        return new LocalClusterConfig(workers, threadsPerWorker, scheduler.withIdleTimeout(millis), plugins, workerResources);
    }

    public LocalClusterConfig withPlugins(PluginHostConfig pluginConfig) {
        return new LocalClusterConfig(workers, threadsPerWorker, scheduler, pluginConfig, workerResources);
    }

    /** Every worker started with the cluster (and by {@link LocalCluster#addWorker()}) offers {@code resources}. */
    public LocalClusterConfig withWorkerResources(Map<String, Double> resources) {
        return new LocalClusterConfig(workers, threadsPerWorker, scheduler, plugins, resources);
    }
}
