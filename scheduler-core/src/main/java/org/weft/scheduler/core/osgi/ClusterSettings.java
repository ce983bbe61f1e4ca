package org.weft.scheduler.core.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.scheduler.core.state.SchedulerConfig;

/**
 * Configuration PID {@code org.weft.scheduler} ({@code etc/org.weft.scheduler.cfg}): what the
 * settings are, for metatype. {@link SchedulerSettings} reads them; a change applies to the running
 * cluster, except {@code worker.resources} and {@code validate}, which apply at the next start. The
 * number of workers and threads come from the command line ({@code weft local --workers N
 * --threads T}) through framework properties.
 */
@ObjectClassDefinition(name = "Weft scheduler",
        description = "Settings of the Weft scheduler and its plugin host")
public @interface ClusterSettings {

    String PID = "org.weft.scheduler";

    @AttributeDefinition(description = "Consecutive hook failures after which a plugin is set FAILED (0: never)")
    int plugin_maxConsecutiveFailures() default PluginHostConfig.DEFAULT_MAX_CONSECUTIVE_FAILURES;

    @AttributeDefinition(description = "Hook calls slower than this many milliseconds are logged")
    long plugin_slowCallMillis() default 100;

    @AttributeDefinition(description = "How long events are held for a plugin whose bundle is being updated (ms)")
    long plugin_handoverMillis() default PluginHostConfig.DEFAULT_HANDOVER_MILLIS;

    @AttributeDefinition(description = "How many events are held at most during a plugin handover")
    int plugin_handoverCapacity() default PluginHostConfig.DEFAULT_HANDOVER_CAPACITY;

    @AttributeDefinition(description = "How many lost workers a task survives before it errs with KilledWorker")
    int allowedFailures() default SchedulerConfig.DEFAULT_ALLOWED_FAILURES;

    @AttributeDefinition(description = "How many transitions the story log keeps")
    int storyCapacity() default SchedulerConfig.DEFAULT_STORY_CAPACITY;

    @AttributeDefinition(description = "Root-ish tasks sent to a worker per thread before the rest wait queued on the "
            + "scheduler; 'inf' turns queuing off")
    String workerSaturation() default "1.1";

    @AttributeDefinition(description = "Give a worker process more root-ish tasks than workerSaturation x threads for a"
            + " key prefix whose tasks are shorter than the scheduler's round trip to it (false: Dask's count exactly)")
    boolean roundTripSlots() default true;

    @AttributeDefinition(description = "Graphs submitted further apart than this (ms) run oldest first")
    long fifoTimeoutMillis() default SchedulerConfig.DEFAULT_FIFO_TIMEOUT_MILLIS;

    @AttributeDefinition(description = "Bytes per second assumed between workers when weighing where a task runs")
    double bandwidth() default SchedulerConfig.DEFAULT_BANDWIDTH;

    @AttributeDefinition(description = "Move queued work from saturated to idle workers (the built-in 'stealing' plugin)")
    boolean workStealing() default true;

    @AttributeDefinition(description = "Abstract resources each worker offers, NAME=QUANTITY[,...], e.g. GPU=1,MEMORY=8e9"
            + " (weft local --resources overrides it)")
    String worker_resources() default "";

    @AttributeDefinition(description = "Re-check every state invariant after every stimulus (slow; for debugging)")
    boolean validate() default false;

    @AttributeDefinition(description = "A worker not heard from (heartbeat) for this many milliseconds is removed (0: never)")
    long workerTtlMillis() default SchedulerConfig.DEFAULT_WORKER_TTL_MILLIS;

    @AttributeDefinition(description = "The scheduler closes itself, and Weft exits, after this many milliseconds with no"
            + " task processing and no client activity (0: never)")
    long idleTimeoutMillis() default SchedulerConfig.DEFAULT_IDLE_TIMEOUT_MILLIS;
}
