package org.weft.plugins.resourcemonitor;

/**
 * One timed phase of one task on one worker: a complete event in the trace.
 *
 * @param key the task key
 * @param phase what the task was doing
 * @param lane the worker thread lane (executing, long-running) or -1 (waiting, fetching: async spans)
 * @param startMicros start, epoch microseconds ({@link TraceClock})
 * @param durationMicros how long
 * @param nbytes the result's size where known, else -1
 * @param error the error text if the phase ended in an error, else {@code null}
 */
record TaskSpan(String key, Phase phase, int lane, long startMicros, long durationMicros, long nbytes, String error) {

    /** The phases a task passes on a worker, as they are named in the trace. */
    enum Phase {
        WAITING("waiting for inputs"),
        FETCHING("fetching"),
        EXECUTING("executing"),
        LONG_RUNNING("long-running");

        final String label;

        Phase(String label) {
            this.label = label;
        }

        /** Whether the phase occupies a worker thread (a lane) rather than overlapping freely. */
        boolean onThread() {
            return this == EXECUTING || this == LONG_RUNNING;
        }
    }
}
