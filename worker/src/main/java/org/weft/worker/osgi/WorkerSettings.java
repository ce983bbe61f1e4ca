package org.weft.worker.osgi;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.weft.node.Heartbeats;
import org.weft.node.osgi.SettingKeys;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.worker.state.WorkerResources;

/**
 * What a worker process takes from {@code etc/org.weft.scheduler.cfg} (PID {@value #PID}, the same
 * file as the scheduler's: one installation configures both): its plugin host
 * ({@code plugin.*}), the resources it offers ({@code worker.resources}, which
 * {@code --resources} overrides), {@code validate}, and how often it heartbeats (from
 * {@code workerTtlMillis}, the scheduler's TTL). Read once, when the worker starts.
 */
public record WorkerSettings(PluginHostConfig plugins, Map<String, Double> workerResources, boolean validate,
        long heartbeatMillis) {

    /** The scheduler's PID: a worker reads the keys it shares with it. */
    public static final String PID = "org.weft.scheduler";

    public WorkerSettings {
        workerResources = Map.copyOf(workerResources);
    }

    /**
     * Reads the worker's keys from the configuration's properties; a malformed value keeps its
     * default and is told to {@code rejected}, naming key and value.
     */
    public static WorkerSettings read(Map<String, ?> properties, Consumer<String> rejected) {
        PluginHostConfig p = PluginHostConfig.DEFAULTS;
        Map<String, Object> defaults = Map.of("plugin.maxConsecutiveFailures", p.maxConsecutiveFailures(),
                "plugin.slowCallMillis", TimeUnit.NANOSECONDS.toMillis(p.slowCallNanos()),
                "plugin.handoverMillis", p.handoverMillis(), "plugin.handoverCapacity", p.handoverCapacity(),
                "worker.resources", Map.of(), "validate", false,
                "workerTtlMillis", Heartbeats.DEFAULT_WORKER_TTL_MILLIS);
        SettingKeys keys = new SettingKeys(PID, properties, defaults);
        WorkerSettings settings = new WorkerSettings(keys.pluginHost(PluginHostConfig.DEFAULTS),
                keys.get("worker.resources", Map.of(), WorkerResources::parse),
                keys.get("validate", false, SettingKeys::bool),
                Heartbeats.intervalMillis(keys.get("workerTtlMillis", Heartbeats.DEFAULT_WORKER_TTL_MILLIS,
                        SettingKeys::nonNegativeLong)));
        keys.rejected().forEach(rejected);
        return settings;
    }
}
