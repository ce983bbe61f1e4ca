package org.weft.plugins.resourcemonitor;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.MetricsSource;
import org.weft.plugin.api.ProcessSamples;
import org.weft.plugin.api.WorkerProcesses;

/**
 * The runtime's one {@link Profiler}: configured from {@code etc/org.weft.plugins.resourcemonitor.cfg}
 * (live), started by {@code autostart}, {@code weft:profile start} or the {@code weft-profile}
 * task function; its plugins are installed as services while it records. As {@link ProcessSamples}
 * it offers this process's CPU and memory of its latest sample (while it records resources), which
 * the scheduler's dashboard shows for the workers that run in this process.
 */
@Component(service = {ProfilerComponent.class, ProcessSamples.class}, configurationPid = ResourceMonitorSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ResourceMonitorSettings.class)
public final class ProfilerComponent implements ProcessSamples {

    private static final Logger LOG = LoggerFactory.getLogger(ProfilerComponent.class);

    private final ProfileService service;
    private final Profiler profiler;

    @Activate
    public ProfilerComponent(BundleContext context, ResourceMonitorSettings settings) {
        this.service = new ProfileService(new Profiler(settings(settings), new ServiceInstaller(context)));
        this.profiler = service.profiler();
        if (settings.autostart()) {
            profiler.start();
        }
    }

    @Modified
    void modified(ResourceMonitorSettings settings) {
        profiler.apply(settings(settings));
        if (settings.autostart() && !profiler.running()) {
            profiler.start();
        }
    }

    /** Figures other plugins add (the GPU plugin's): sampled with this process's resources while recording. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMetricsSource(MetricsSource source) {
        profiler.addReader(source);
    }

    void unbindMetricsSource(MetricsSource source) {
        profiler.removeReader(source);
    }

    @Override
    public Sample latest() {
        return profiler.latest();
    }

    @Deactivate
    void deactivate() {
        service.close();
    }

    static ProfileSettings settings(ResourceMonitorSettings s) {
        long interval = s.intervalMillis();
        if (interval < 1) {
            LOG.warn("{} intervalMillis={} must be at least 1; using {}", ResourceMonitorSettings.PID, interval,
                    ProfileSettings.DEFAULT_INTERVAL_MILLIS);
            interval = ProfileSettings.DEFAULT_INTERVAL_MILLIS;
        }
        int events = positive("maxTraceEvents", s.maxTraceEvents(), ProfileSettings.DEFAULT_MAX_TRACE_EVENTS);
        int samples = positive("maxSamples", s.maxSamples(), ProfileSettings.DEFAULT_MAX_SAMPLES);
        return new ProfileSettings(s.trace(), s.monitor(), s.schedulerTransitions(), interval, events, samples);
    }

    private static int positive(String name, int value, int fallback) {
        if (value < 1) {
            LOG.warn("{} {}={} must be at least 1; using {}", ResourceMonitorSettings.PID, name, value, fallback);
            return fallback;
        }
        return value;
    }

    Profiler profiler() {
        return service.profiler();
    }

    ProfileService service() {
        return service;
    }

    /** The worker processes of this scheduler (a scheduler process only): a profile covers them too. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindWorkerProcesses(WorkerProcesses processes) {
        service.workerProcesses(processes);
    }

    void unbindWorkerProcesses(WorkerProcesses processes) {
        service.workerProcesses(null);
    }
}
