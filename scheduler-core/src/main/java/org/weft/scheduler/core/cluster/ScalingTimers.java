package org.weft.scheduler.core.cluster;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.weft.node.Heartbeats;
import org.weft.scheduler.core.state.SchedulerConfig;

/**
 * The scheduler's timers behind the scaling settings: the worker-TTL check and the idle check, and
 * the pace at which workers heartbeat. They start with the scheduler and restart when the settings
 * change ({@link SchedulerService#reconfigure}); the checks themselves run on the scheduler's loop.
 */
public final class ScalingTimers {

    private final ScheduledExecutorService timer;
    private final SchedulerNode scheduler;
    private final LongConsumer closeBecauseIdle;
    private ScheduledFuture<?> ttlCheck;
    private ScheduledFuture<?> idleCheck;

    /** @param closeBecauseIdle called with the idle timeout when the scheduler has been idle that long */
    ScalingTimers(ScheduledExecutorService timer, SchedulerNode scheduler, LongConsumer closeBecauseIdle) {
        this.timer = timer;
        this.scheduler = scheduler;
        this.closeBecauseIdle = closeBecauseIdle;
    }

    /** How often workers heartbeat and the TTL is checked: a quarter of the TTL, between 10 ms and 1 s. */
    public static long heartbeatMillis(SchedulerConfig config) {
        return Heartbeats.intervalMillis(config.workerTtlMillis());
    }

    synchronized void start(SchedulerConfig config) {
        startTtlCheck(config, heartbeatMillis(config));
        startIdleCheck(config);
    }

    /**
     * After a settings change. A new worker TTL's check starts one TTL later, once heartbeats at
     * the new pace ({@link #heartbeatMillis}) have come; a new idle timeout counts from the next check.
     */
    synchronized void changed(SchedulerConfig before, SchedulerConfig after) {
        if (before.workerTtlMillis() != after.workerTtlMillis()) {
            startTtlCheck(after, Math.max(heartbeatMillis(after), after.workerTtlMillis()));
        }
        if (before.idleTimeoutMillis() != after.idleTimeoutMillis()) {
            startIdleCheck(after);
        }
    }

    /** The worker-TTL check, first after {@code firstMillis}; none while the TTL is 0. */
    private void startTtlCheck(SchedulerConfig config, long firstMillis) {
        if (ttlCheck != null) {
            ttlCheck.cancel(false);
            ttlCheck = null;
        }
        if (config.workerTtlMillis() > 0) {
            ttlCheck = timer.scheduleWithFixedDelay(scheduler::checkWorkerTtl, firstMillis, heartbeatMillis(config),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void startIdleCheck(SchedulerConfig config) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
        long idle = config.idleTimeoutMillis();
        if (idle > 0) {
            long every = Heartbeats.intervalMillis(idle);
            idleCheck = timer.scheduleWithFixedDelay(() -> scheduler.checkIdle().thenAccept(quiet -> {
                if (quiet) {
                    closeBecauseIdle.accept(idle);
                }
            }), every, every, TimeUnit.MILLISECONDS);
        }
    }
}
