package org.weft.node;

/**
 * How often a worker heartbeats, which both roles must agree on: the scheduler removes a worker not
 * heard from for {@code workerTtlMillis} and checks at the pace workers heartbeat.
 */
public final class Heartbeats {

    /** The worker TTL when none is configured: five minutes. */
    public static final long DEFAULT_WORKER_TTL_MILLIS = 300_000;

    private Heartbeats() {
    }

    /** A quarter of {@code periodMillis}, between 10 ms and 1 s; 1 s when the period is 0 (never). */
    public static long intervalMillis(long periodMillis) {
        return periodMillis <= 0 ? 1_000 : Math.max(10, Math.min(1_000, periodMillis / 4));
    }
}
