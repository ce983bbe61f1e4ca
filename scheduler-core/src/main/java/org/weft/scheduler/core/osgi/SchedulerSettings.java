package org.weft.scheduler.core.osgi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.weft.node.ResourceSpec;
import org.weft.node.osgi.SettingKeys;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.scheduler.core.state.SchedulerConfig;

/**
 * The settings of {@code etc/org.weft.scheduler.cfg} (PID {@value ClusterSettings#PID}), typed.
 * {@link #read} takes them from the configuration's properties, as FileInstall delivers them
 * (strings) or typed; each key on its own: a malformed value is rejected, naming key and value,
 * and the value it would replace stays. A key that is absent takes its default.
 *
 * @param workerResources what each worker of {@code weft local} offers, e.g. {@code GPU=1.0}
 */
record SchedulerSettings(SchedulerConfig scheduler, PluginHostConfig plugins, Map<String, Double> workerResources) {

    /** Keys that only a restart applies: a running worker keeps the resources and validation it started with. */
    static final Set<String> NEED_RESTART = Set.of("worker.resources", "validate");

    static final SchedulerSettings DEFAULTS = new SchedulerSettings(SchedulerConfig.DEFAULTS, PluginHostConfig.DEFAULTS,
            Map.of());

    SchedulerSettings {
        workerResources = Map.copyOf(workerResources);
    }

    /** What {@link #read} made of the properties, and a log line per value it rejected. */
    record Read(SchedulerSettings settings, List<String> rejected) {
    }

    /**
     * @param running the settings in force, whose value a malformed one leaves in place
     */
    static Read read(Map<String, ?> properties, SchedulerSettings running) {
        SettingKeys keys = new SettingKeys(ClusterSettings.PID, properties, running.byKey());
        SchedulerConfig d = SchedulerConfig.DEFAULTS;
        PluginHostConfig plugins = keys.pluginHost(PluginHostConfig.DEFAULTS);
        SchedulerConfig scheduler = new SchedulerConfig(
                keys.get("validate", d.validate(), SettingKeys::bool),
                keys.get("storyCapacity", d.storyCapacity(), SettingKeys::positiveCount),
                keys.get("allowedFailures", d.allowedFailures(), SettingKeys::count),
                keys.get("workerSaturation", d.workerSaturation(), SchedulerSettings::saturation),
                keys.get("fifoTimeoutMillis", d.fifoTimeoutMillis(), SettingKeys::nonNegativeLong),
                keys.get("bandwidth", d.bandwidth(), SettingKeys::positiveNumber),
                keys.get("workStealing", d.workStealing(), SettingKeys::bool),
                keys.get("workerTtlMillis", d.workerTtlMillis(), SettingKeys::nonNegativeLong),
                keys.get("idleTimeoutMillis", d.idleTimeoutMillis(), SettingKeys::nonNegativeLong),
                keys.get("roundTripSlots", d.roundTripSlots(), SettingKeys::bool));
        Map<String, Double> resources = keys.get("worker.resources", Map.of(), ResourceSpec::parse);
        return new Read(new SchedulerSettings(scheduler, plugins, resources), keys.rejected());
    }

    /** Every key with its value as the file spells it (for the log, and to find what changed). */
    Map<String, Object> byKey() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plugin.maxConsecutiveFailures", plugins.maxConsecutiveFailures());
        out.put("plugin.slowCallMillis", millis(plugins.slowCallNanos()));
        out.put("plugin.handoverMillis", plugins.handoverMillis());
        out.put("plugin.handoverCapacity", plugins.handoverCapacity());
        out.put("allowedFailures", scheduler.allowedFailures());
        out.put("storyCapacity", scheduler.storyCapacity());
        out.put("workerSaturation", scheduler.queuing() ? (Object) scheduler.workerSaturation() : "inf");
        out.put("fifoTimeoutMillis", scheduler.fifoTimeoutMillis());
        out.put("bandwidth", scheduler.bandwidth());
        out.put("workStealing", scheduler.workStealing());
        out.put("worker.resources", workerResources);
        out.put("validate", scheduler.validate());
        out.put("workerTtlMillis", scheduler.workerTtlMillis());
        out.put("idleTimeoutMillis", scheduler.idleTimeoutMillis());
        out.put("roundTripSlots", scheduler.roundTripSlots());
        return out;
    }

    /** Each key whose value differs from {@code before}, as {@code key before -> after}, in file order. */
    List<String> changesFrom(SchedulerSettings before, boolean needingRestart) {
        Map<String, Object> was = before.byKey();
        List<String> out = new ArrayList<>();
        byKey().forEach((key, value) -> {
            if (!Objects.equals(was.get(key), value) && NEED_RESTART.contains(key) == needingRestart) {
                out.add(key + " " + was.get(key) + " -> " + value);
            }
        });
        return out;
    }

    /** These settings, but with the keys only a restart applies as they are in {@code running}. */
    SchedulerSettings keepingRestartOnly(SchedulerSettings running) {
        return new SchedulerSettings(scheduler.withValidation(running.scheduler.validate()), plugins,
                running.workerResources);
    }

    SchedulerSettings withWorkerResources(Map<String, Double> resources) {
        return new SchedulerSettings(scheduler, plugins, resources);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static double saturation(String text) {
        double x;
        try {
            x = SchedulerConfig.parseSaturation(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a number, nor inf");
        }
        if (!(x > 0)) {
            throw new IllegalArgumentException("must be above 0, or inf to turn queuing off");
        }
        return x;
    }

}
