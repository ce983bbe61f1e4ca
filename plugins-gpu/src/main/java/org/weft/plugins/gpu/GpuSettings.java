package org.weft.plugins.gpu;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.weft.plugins.gpu} ({@code etc/org.weft.plugins.gpu.cfg}); a change restarts the plugin. */
@ObjectClassDefinition(name = "Weft GPU plugin", description = "Where NVIDIA's libraries are, and what to do with them")
public @interface GpuSettings {

    String PID = "org.weft.plugins.gpu";

    @AttributeDefinition(description = "NVML, the driver's library: a name the dynamic linker finds, or a path")
    String nvmlLibrary() default Nvml.DEFAULT_LIBRARY;

    @AttributeDefinition(description = "NVTX's library (the nvidia-nvtx Python wheel ships it): a name or a path")
    String nvtxLibrary() default Nvtx.DEFAULT_LIBRARY;

    @AttributeDefinition(description = "Mark each task's execution as an NVTX range (for Nsight Systems) when a GPU and NVTX are there")
    boolean annotate() default true;
}
