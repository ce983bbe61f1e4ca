package org.weft.plugins.gpu;

import java.util.Hashtable;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.MetricsSource;
import org.weft.plugin.api.PluginProperties;
import org.weft.plugin.api.WorkerPlugin;

/**
 * Looks for NVIDIA's libraries once, at start, and says what it found in one log line. NVML found:
 * its GPUs become a {@link MetricsSource} (the resource monitor samples them; {@code weft:workers}
 * lists them). Not found: the source is still registered, describing why there is no GPU, and reads
 * nothing. A GPU and NVTX found (and {@code annotate}): the {@link GpuAnnotationPlugin} goes on
 * every worker; otherwise no plugin at all, so tasks pay nothing.
 */
@Component(immediate = true, configurationPid = GpuSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GpuSettings.class)
public final class GpuComponent {

    private static final Logger LOG = LoggerFactory.getLogger(GpuComponent.class);

    private final Nvml nvml;
    private final ServiceRegistration<MetricsSource> source;
    private final ServiceRegistration<WorkerPlugin> annotation;

    @Activate
    public GpuComponent(BundleContext context, GpuSettings settings) {
        nvml = Nvml.open(settings.nvmlLibrary());
        LOG.info("GPU: {}", nvml.describe());
        source = context.registerService(MetricsSource.class, nvml, new Hashtable<>());
        // ranges only where there is a GPU: without one the plugin costs nothing per task
        Nvtx nvtx = settings.annotate() && nvml.present() ? Nvtx.open(settings.nvtxLibrary()) : null;
        if (nvtx != null && nvtx.present()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(PluginProperties.NAME, GpuAnnotationPlugin.NAME);
            annotation = context.registerService(WorkerPlugin.class, new PrototypeServiceFactory<WorkerPlugin>() {
                @Override
                public WorkerPlugin getService(Bundle bundle, ServiceRegistration<WorkerPlugin> registration) {
                    return new GpuAnnotationPlugin(nvtx);
                }

                @Override
                public void ungetService(Bundle bundle, ServiceRegistration<WorkerPlugin> registration, WorkerPlugin service) {
                    // nothing held
                }
            }, props);
            LOG.info("GPU: each task's execution is an NVTX range ({})", settings.nvtxLibrary());
        } else {
            annotation = null;
            LOG.info("GPU: no NVTX ranges ({})", nvtx != null ? nvtx.absence() : !nvml.present() ? "no GPU" : "annotate=false");
        }
    }

    @Deactivate
    void deactivate() {
        if (annotation != null) {
            annotation.unregister();
        }
        source.unregister();
        nvml.close();
    }
}
