package org.weft.plugins.resourcemonitor;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code org.weft.plugins.resourcemonitor}
 * ({@code etc/org.weft.plugins.resourcemonitor.cfg}), applied live: the interval and the bounds at
 * once, what is recorded from the next start, {@code autostart=true} starts a recording now.
 */
@ObjectClassDefinition(name = "Weft resource monitor and task trace",
        description = "What a profile records and how much of it is kept")
public @interface ResourceMonitorSettings {

    String PID = "org.weft.plugins.resourcemonitor";

    @AttributeDefinition(description = "Start recording as soon as the plugin starts (dasf's autostart)")
    boolean autostart() default false;

    @AttributeDefinition(description = "Record the task trace: each task's phases on each worker thread")
    boolean trace() default true;

    @AttributeDefinition(description = "Sample CPU, memory, network, disk, threads, open files and GC time")
    boolean monitor() default true;

    @AttributeDefinition(description = "Also record every scheduler-side transition (one trace event per transition)")
    boolean schedulerTransitions() default false;

    @AttributeDefinition(description = "Milliseconds between two resource samples")
    long intervalMillis() default 100;

    @AttributeDefinition(description = "Task phases kept per worker (and scheduler transitions kept); older ones are dropped and counted")
    int maxTraceEvents() default 200_000;

    @AttributeDefinition(description = "Samples kept per metric and node; older ones are dropped and counted")
    int maxSamples() default 36_000;
}
