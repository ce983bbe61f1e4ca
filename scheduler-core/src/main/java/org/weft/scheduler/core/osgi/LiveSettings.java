package org.weft.scheduler.core.osgi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.scheduler.core.state.SchedulerConfig;

/**
 * The settings of {@code etc/org.weft.scheduler.cfg} a running scheduler's component has, and how a
 * saved change reaches it: every setting but those in {@link SchedulerSettings#NEED_RESTART}
 * applies to the running scheduler, between two stimuli, and is logged with its old and new value;
 * a malformed value is rejected and the running one stays; a change that needs a restart is logged
 * as such. The same values arriving again change nothing. SCR calls activate and modified one at a
 * time, so neither is synchronized.
 */
public final class LiveSettings {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSettings.class);

    /** {@code weft local --resources}, which overrides {@code worker.resources}; null if not given. */
    private final Map<String, Double> commandLineResources;
    private SchedulerSettings running;

    /**
     * @param properties the configuration's properties at activation
     * @param commandLineResources the workers' resources from the command line, or null
     */
    public LiveSettings(Map<String, ?> properties, Map<String, Double> commandLineResources) {
        this.commandLineResources = commandLineResources;
        SchedulerSettings.Read read = SchedulerSettings.read(properties, SchedulerSettings.DEFAULTS);
        read.rejected().forEach(LOG::warn);
        this.running = withCommandLine(read.settings());
    }

    private SchedulerSettings withCommandLine(SchedulerSettings settings) {
        return commandLineResources == null ? settings : settings.withWorkerResources(commandLineResources);
    }

    public SchedulerConfig scheduler() {
        return running.scheduler();
    }

    public PluginHostConfig plugins() {
        return running.plugins();
    }

    /** What each worker of this process offers ({@code worker.resources}, or the command line's). */
    public Map<String, Double> workerResources() {
        return running.workerResources();
    }

    /**
     * A saved change: applies what can be applied now through {@code reconfigure}.
     */
    public void modified(Map<String, ?> properties, Reconfigure reconfigure) {
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
        SchedulerConfig before = running.scheduler();
        running = wanted.keepingRestartOnly(running);
        reconfigure.apply(before, running.scheduler(), running.plugins()).whenComplete((done, error) -> {
            if (error == null) {
                LOG.info("{}: applied to the running scheduler: {}", ClusterSettings.PID, String.join(", ", now));
            } else {
                LOG.warn("{}: could not apply {}", ClusterSettings.PID, String.join(", ", now), error);
            }
        });
    }

    /** Applies new settings to a running scheduler (and to its workers, if it has some in this process). */
    @FunctionalInterface
    public interface Reconfigure {
        CompletableFuture<Void> apply(SchedulerConfig before, SchedulerConfig scheduler, PluginHostConfig plugins);
    }
}
