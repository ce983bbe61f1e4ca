package org.weft.scheduler.core.state;

/**
 * Dask's {@code check_idle} for {@code idle-timeout}: the scheduler is idle while no task is
 * processing or waiting for a worker, no transition happened and no client did anything since the
 * last check. Idle for the whole timeout means the scheduler should close. Times are given by the
 * caller (no clock here).
 */
final class IdleWatch {

    private long clientActivity;
    private long lastActivity = -1;
    private long idleSinceMillis = -1;

    /** A client connected, left, submitted, released or gathered. */
    void clientActivity() {
        clientActivity++;
    }

    /**
     * @param transitions the scheduler's transition count (any change is activity)
     * @param busy whether tasks are processing or waiting for a worker (no-worker or queued)
     * @return whether the scheduler has been idle for {@code timeoutMillis} at {@code nowMillis}
     */
    boolean check(long nowMillis, long timeoutMillis, long transitions, boolean busy) {
        long activity = transitions + clientActivity;
        if (busy || activity != lastActivity || idleSinceMillis < 0) {
            lastActivity = activity;
            idleSinceMillis = nowMillis;
            return false;
        }
        return nowMillis - idleSinceMillis >= timeoutMillis;
    }

    /** Since when the scheduler has been idle, or -1 if it was busy at the last check. */
    long idleSinceMillis() {
        return idleSinceMillis;
    }
}
