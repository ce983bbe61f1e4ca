package org.weft.scheduler.core.state;

/**
 * Settings of the scheduler state machine.
 *
 * @param validate re-check every invariant after every stimulus (on in tests; costs O(tasks))
 * @param storyCapacity how many transitions the story log keeps
 * @param allowedFailures how many lost workers a task survives before it errs with KilledWorker
 * @param workerSaturation root-ish tasks sent to a worker per thread before the rest wait in
 *        {@code queued} on the scheduler (Dask's {@code worker-saturation}); infinity turns queuing off
 * @param fifoTimeoutMillis graphs submitted further apart than this run oldest first; closer ones share a
 *        generation and interleave by graph order (Dask's {@code fifo-timeout})
 * @param bandwidth bytes per second assumed between workers, to weigh moving inputs against waiting
 * @param workStealing whether the scheduler starts with the built-in work-stealing plugin
 * @param workerTtlMillis a worker silent (no heartbeat) this long is removed; 0: never (Dask's {@code worker-ttl})
 * @param idleTimeoutMillis the scheduler closes itself after this long with nothing to do and no
 *        client activity; 0: never (Dask's {@code idle-timeout})
 * @param roundTripSlots whether a worker process gets more root-ish tasks than Dask's
 *        {@code ceil(workerSaturation * nthreads)} for a key prefix whose tasks are shorter than the
 *        scheduler's measured round trip to it (see {@code Placement#slots}); false: Dask's slots exactly
 */
public record SchedulerConfig(boolean validate, int storyCapacity, int allowedFailures, double workerSaturation,
        long fifoTimeoutMillis, double bandwidth, boolean workStealing, long workerTtlMillis, long idleTimeoutMillis,
        boolean roundTripSlots) {

    public static final int DEFAULT_STORY_CAPACITY = 100_000;
    public static final int DEFAULT_ALLOWED_FAILURES = 3;
    public static final double DEFAULT_WORKER_SATURATION = 1.1;
    public static final long DEFAULT_FIFO_TIMEOUT_MILLIS = 60;
    public static final double DEFAULT_BANDWIDTH = 100e6;
    /** Dask's default {@code distributed.scheduler.worker-ttl}: 5 minutes. */
    public static final long DEFAULT_WORKER_TTL_MILLIS = org.weft.node.Heartbeats.DEFAULT_WORKER_TTL_MILLIS;
    /** Dask's default {@code distributed.scheduler.idle-timeout}: none. */
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 0;

    public static final SchedulerConfig DEFAULTS = new SchedulerConfig(false, DEFAULT_STORY_CAPACITY,
            DEFAULT_ALLOWED_FAILURES);

    public SchedulerConfig {
        if (storyCapacity < 1) {
            throw new IllegalArgumentException("story capacity must be >= 1, got " + storyCapacity);
        }
        if (allowedFailures < 0) {
            throw new IllegalArgumentException("allowed failures must be >= 0, got " + allowedFailures);
        }
        if (!(workerSaturation > 0)) {
            throw new IllegalArgumentException("worker saturation must be > 0 (or inf to turn queuing off), got "
                    + workerSaturation);
        }
        if (fifoTimeoutMillis < 0) {
            throw new IllegalArgumentException("fifo timeout must be >= 0 ms, got " + fifoTimeoutMillis);
        }
        if (!(bandwidth > 0)) {
            throw new IllegalArgumentException("bandwidth must be > 0 bytes/s, got " + bandwidth);
        }
        if (workerTtlMillis < 0 || idleTimeoutMillis < 0) {
            throw new IllegalArgumentException("worker TTL and idle timeout must be >= 0 ms (0: off), got "
                    + workerTtlMillis + " and " + idleTimeoutMillis);
        }
    }

    /** With round-trip slots on, as by default. */
    public SchedulerConfig(boolean validate, int storyCapacity, int allowedFailures, double workerSaturation,
            long fifoTimeoutMillis, double bandwidth, boolean workStealing, long workerTtlMillis,
            long idleTimeoutMillis) {
        this(validate, storyCapacity, allowedFailures, workerSaturation, fifoTimeoutMillis, bandwidth, workStealing,
                workerTtlMillis, idleTimeoutMillis, true);
    }

    public SchedulerConfig(boolean validate, int storyCapacity, int allowedFailures) {
        this(validate, storyCapacity, allowedFailures, DEFAULT_WORKER_TTL_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS);
    }

    public SchedulerConfig(boolean validate, int storyCapacity, int allowedFailures, long workerTtlMillis,
            long idleTimeoutMillis) {
        this(validate, storyCapacity, allowedFailures, DEFAULT_WORKER_SATURATION, DEFAULT_FIFO_TIMEOUT_MILLIS,
                DEFAULT_BANDWIDTH, true, workerTtlMillis, idleTimeoutMillis);
    }

    /** Whether root-ish tasks wait on the scheduler rather than being sent to workers all at once. */
    public boolean queuing() {
        return Double.isFinite(workerSaturation);
    }

    public SchedulerConfig withValidation(boolean on) {
        return new SchedulerConfig(on, storyCapacity, allowedFailures, workerSaturation, fifoTimeoutMillis, bandwidth,
                workStealing, workerTtlMillis, idleTimeoutMillis, roundTripSlots);
    }

    public SchedulerConfig withWorkerSaturation(double saturation) {
        return new SchedulerConfig(validate, storyCapacity, allowedFailures, saturation, fifoTimeoutMillis, bandwidth,
                workStealing, workerTtlMillis, idleTimeoutMillis, roundTripSlots);
    }

    public SchedulerConfig withFifoTimeoutMillis(long millis) {
        return new SchedulerConfig(validate, storyCapacity, allowedFailures, workerSaturation, millis, bandwidth,
                workStealing, workerTtlMillis, idleTimeoutMillis, roundTripSlots);
    }

    public SchedulerConfig withBandwidth(double bytesPerSecond) {
        return new SchedulerConfig(validate, storyCapacity, allowedFailures, workerSaturation, fifoTimeoutMillis,
                bytesPerSecond, workStealing, workerTtlMillis, idleTimeoutMillis, roundTripSlots);
    }

    public SchedulerConfig withWorkStealing(boolean on) {
        return new SchedulerConfig(validate, storyCapacity, allowedFailures, workerSaturation, fifoTimeoutMillis,
                bandwidth, on, workerTtlMillis, idleTimeoutMillis, roundTripSlots);
    }

    /** With a story log of another size. */
    public SchedulerConfig withStoryCapacity(int capacity) {
        return new SchedulerConfig(validate, capacity, allowedFailures, workerSaturation, fifoTimeoutMillis, bandwidth,
                workStealing, workerTtlMillis, idleTimeoutMillis, roundTripSlots);
    }

    /** With another worker TTL (0: off). */
    public SchedulerConfig withWorkerTtl(long millis) {
        return new SchedulerConfig(validate, storyCapacity, allowedFailures, workerSaturation, fifoTimeoutMillis,
                bandwidth, workStealing, millis, idleTimeoutMillis, roundTripSlots);
    }

    /** With another idle timeout (0: off). */
    public SchedulerConfig withIdleTimeout(long millis) {
        return new SchedulerConfig(validate, storyCapacity, allowedFailures, workerSaturation, fifoTimeoutMillis,
                bandwidth, workStealing, workerTtlMillis, millis, roundTripSlots);
    }

    /** With round-trip slots on or off (off: Dask's slots exactly). */
    public SchedulerConfig withRoundTripSlots(boolean on) {
        return new SchedulerConfig(validate, storyCapacity, allowedFailures, workerSaturation, fifoTimeoutMillis,
                bandwidth, workStealing, workerTtlMillis, idleTimeoutMillis, on);
    }

    /** Parses a worker-saturation setting: a positive number, or {@code inf} for no queuing. */
    public static double parseSaturation(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("inf") || t.equals("infinity") || t.equals(".inf")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("worker saturation must be a positive number or 'inf', got '" + text + "'");
        }
    }
}
