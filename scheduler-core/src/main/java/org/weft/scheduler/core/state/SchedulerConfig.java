package org.weft.scheduler.core.state;

/**
 * Settings of the scheduler state machine.
 *
 * @param validate re-check every invariant after every stimulus (on in tests; costs O(tasks))
 * @param storyCapacity how many transitions the story log keeps
 * @param allowedFailures how many lost workers a task survives before it errs with KilledWorker
 * @param workerTtlMillis a worker silent (no heartbeat) this long is removed; 0: never (Dask's {@code worker-ttl})
 * @param idleTimeoutMillis the scheduler closes itself after this long with nothing to do and no
 *        client activity; 0: never (Dask's {@code idle-timeout})
 */
public record SchedulerConfig(boolean validate, int storyCapacity, int allowedFailures, long workerTtlMillis,
        long idleTimeoutMillis) {

    public static final int DEFAULT_STORY_CAPACITY = 100_000;
    public static final int DEFAULT_ALLOWED_FAILURES = 3;
    /** Dask's default {@code distributed.scheduler.worker-ttl}: 5 minutes. */
    public static final long DEFAULT_WORKER_TTL_MILLIS = 300_000;
    /** Dask's default {@code distributed.scheduler.idle-timeout}: none. */
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 0;

    public static final SchedulerConfig DEFAULTS =
            new SchedulerConfig(false, DEFAULT_STORY_CAPACITY, DEFAULT_ALLOWED_FAILURES);

    public SchedulerConfig {
        if (workerTtlMillis < 0 || idleTimeoutMillis < 0) {
            throw new IllegalArgumentException("worker TTL and idle timeout must be >= 0 (0: off), were "
                    + workerTtlMillis + " and " + idleTimeoutMillis);
        }
    }

    /** With the default worker TTL and no idle timeout. */
    public SchedulerConfig(boolean validate, int storyCapacity, int allowedFailures) {
        this(validate, storyCapacity, allowedFailures, DEFAULT_WORKER_TTL_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS);
    }

    public SchedulerConfig withValidation(boolean on) {
        return new SchedulerConfig(on, storyCapacity, allowedFailures, workerTtlMillis, idleTimeoutMillis);
    }

    /** With another worker TTL (0: off). */
    public SchedulerConfig withWorkerTtl(long millis) {
        return new SchedulerConfig(validate, storyCapacity, allowedFailures, millis, idleTimeoutMillis);
    }

    /** With another idle timeout (0: off). */
    public SchedulerConfig withIdleTimeout(long millis) {
        return new SchedulerConfig(validate, storyCapacity, allowedFailures, workerTtlMillis, millis);
    }
}
