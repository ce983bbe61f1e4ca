package org.weft.plugins.resourcemonitor;

/**
 * What a recording takes in, and how much it keeps.
 *
 * @param trace record the task trace (a worker plugin on every worker)
 * @param monitor sample resources every {@code intervalMillis}
 * @param schedulerTransitions also record every scheduler-side transition (a scheduler plugin)
 * @param intervalMillis the sampling interval
 * @param maxTraceEvents the most task phases kept per worker (and scheduler transitions kept); older ones are dropped
 * @param maxSamples the most samples kept per metric and node; older ones are dropped
 */
public record ProfileSettings(boolean trace, boolean monitor, boolean schedulerTransitions, long intervalMillis,
        int maxTraceEvents, int maxSamples) {

    public static final long DEFAULT_INTERVAL_MILLIS = 100;
    public static final int DEFAULT_MAX_TRACE_EVENTS = 200_000;
    public static final int DEFAULT_MAX_SAMPLES = 36_000;

    public static final ProfileSettings DEFAULTS = new ProfileSettings(true, true, false, DEFAULT_INTERVAL_MILLIS,
            DEFAULT_MAX_TRACE_EVENTS, DEFAULT_MAX_SAMPLES);

    public ProfileSettings {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("intervalMillis must be at least 1, was " + intervalMillis);
        }
        if (maxTraceEvents < 1 || maxSamples < 1) {
            throw new IllegalArgumentException("maxTraceEvents and maxSamples must be at least 1");
        }
    }

    public ProfileSettings withSchedulerTransitions(boolean on) {
        return new ProfileSettings(trace, monitor, on, intervalMillis, maxTraceEvents, maxSamples);
    }

    public ProfileSettings withIntervalMillis(long millis) {
        return new ProfileSettings(trace, monitor, schedulerTransitions, millis, maxTraceEvents, maxSamples);
    }

    public ProfileSettings withMaxTraceEvents(int n) {
        return new ProfileSettings(trace, monitor, schedulerTransitions, intervalMillis, n, maxSamples);
    }
}
