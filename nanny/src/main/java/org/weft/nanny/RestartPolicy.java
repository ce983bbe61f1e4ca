package org.weft.nanny;

/**
 * What a nanny does when its worker process ended, from the exit status alone: no I/O, no clock
 * (the caller says how long the process ran). Statuses the worker chooses itself end the nanny
 * ({@value #CLOSED}: its scheduler closed it; {@value #GAVE_UP}: it could not reach its scheduler or
 * could not start, and said why) or restart it at once ({@value #RESTART}: the scheduler restarted
 * it). Any other end is a death (killed, crashed, over its memory limit): restarted after a
 * back-off of 1 s, doubling up to 30 s, until it died more than {@code maxRestarts} times in a row
 * without running {@value #STABLE_MILLIS} ms; then the nanny gives up.
 */
final class RestartPolicy {

    /** The worker was closed by its scheduler (retired, or the scheduler stopped). */
    static final int CLOSED = 0;
    /** The worker gave up by itself: its scheduler was unreachable past its reconnect timeout, or it could not start. */
    static final int GAVE_UP = 1;
    /** The scheduler restarted the worker (WorkerProcess.RESTART in the worker bundle: keep them in step). */
    static final int RESTART = 75;
    /** A worker that ran this long before it died starts a new series of restarts. */
    static final long STABLE_MILLIS = 60_000;
    static final long FIRST_DELAY_MILLIS = 1_000;
    static final long MAX_DELAY_MILLIS = 30_000;

    /** What to do now. */
    sealed interface Decision {
    }

    /** The nanny ends with {@code status}: the worker ended by its own choice. */
    record Stop(int status, String why) implements Decision {
    }

    /** Start a fresh worker after {@code delayMillis}; {@code attempt} deaths in a row so far (0: not a death). */
    record Restart(long delayMillis, int attempt) implements Decision {
    }

    /** Too many deaths in a row: the nanny ends with status 1. */
    record GiveUp(int restarts) implements Decision {
    }

    private final int maxRestarts;
    private int deathsInARow;

    /** @param maxRestarts restarts allowed in a row after deaths (0: never restart a dead worker) */
    RestartPolicy(int maxRestarts) {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be at least 0, was " + maxRestarts);
        }
        this.maxRestarts = maxRestarts;
    }

    /**
     * @param status the worker process's exit status
     * @param ranMillis how long it ran
     * @param killed the nanny killed it itself (memory limit): a death whatever the status
     */
    Decision afterExit(int status, long ranMillis, boolean killed) {
        if (!killed) {
            if (status == CLOSED) {
                return new Stop(0, "its scheduler closed it");
            }
            if (status == GAVE_UP) {
                return new Stop(1, "it gave up by itself (its scheduler unreachable, or it could not start; see its log)");
            }
            if (status == RESTART) {
                deathsInARow = 0;
                return new Restart(0, 0);
            }
        }
        if (ranMillis >= STABLE_MILLIS) {
            deathsInARow = 0;
        }
        deathsInARow++;
        if (deathsInARow > maxRestarts) {
            return new GiveUp(deathsInARow - 1);
        }
        long delay = FIRST_DELAY_MILLIS << Math.min(deathsInARow - 1, 16);
        return new Restart(Math.min(delay, MAX_DELAY_MILLIS), deathsInARow);
    }

    /** A restart the nanny chose (a plugin, a request): starts a new series. */
    void deliberateRestart() {
        deathsInARow = 0;
    }

    int maxRestarts() {
        return maxRestarts;
    }
}
