package org.weft.pluginhost;

import java.util.concurrent.TimeUnit;

/**
 * Tuning of a plugin host.
 *
 * @param maxConsecutiveFailures failures in a row after which a plugin is set FAILED; 0 never
 * @param slowCallNanos calls taking longer than this are logged at WARN (rate-limited)
 * @param handoverMillis how long events are held for a plugin removed while awaiting its replacement
 * @param handoverCapacity how many events are held at most during a handover; more are dropped and counted
 */
public record PluginHostConfig(int maxConsecutiveFailures, long slowCallNanos, long handoverMillis, int handoverCapacity) {

    public static final int DEFAULT_MAX_CONSECUTIVE_FAILURES = 10;
    public static final long DEFAULT_SLOW_CALL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    public static final long DEFAULT_HANDOVER_MILLIS = 10_000;
    public static final int DEFAULT_HANDOVER_CAPACITY = 1_000_000;

    public static final PluginHostConfig DEFAULTS = new PluginHostConfig(DEFAULT_MAX_CONSECUTIVE_FAILURES,
            DEFAULT_SLOW_CALL_NANOS, DEFAULT_HANDOVER_MILLIS, DEFAULT_HANDOVER_CAPACITY);

    public PluginHostConfig {
        if (maxConsecutiveFailures < 0) {
            throw new IllegalArgumentException("maxConsecutiveFailures must be >= 0, was " + maxConsecutiveFailures);
        }
        if (slowCallNanos <= 0) {
            throw new IllegalArgumentException("slowCallNanos must be > 0, was " + slowCallNanos);
        }
        if (handoverMillis < 0) {
            throw new IllegalArgumentException("handoverMillis must be >= 0, was " + handoverMillis);
        }
        if (handoverCapacity < 0) {
            throw new IllegalArgumentException("handoverCapacity must be >= 0, was " + handoverCapacity);
        }
    }

    public PluginHostConfig withMaxConsecutiveFailures(int value) {
        return new PluginHostConfig(value, slowCallNanos, handoverMillis, handoverCapacity);
    }

    public PluginHostConfig withSlowCallNanos(long value) {
        return new PluginHostConfig(maxConsecutiveFailures, value, handoverMillis, handoverCapacity);
    }

    public PluginHostConfig withHandoverMillis(long value) {
        return new PluginHostConfig(maxConsecutiveFailures, slowCallNanos, value, handoverCapacity);
    }

    public PluginHostConfig withHandoverCapacity(int value) {
        return new PluginHostConfig(maxConsecutiveFailures, slowCallNanos, handoverMillis, value);
    }
}
