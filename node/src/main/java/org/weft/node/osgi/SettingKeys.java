package org.weft.node.osgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.weft.pluginhost.PluginHostConfig;

/**
 * Reads a configuration's properties one key at a time, as FileInstall delivers them (strings) or
 * typed, collecting what it rejects: a malformed value is named with its key and the value in force
 * stays. Shared by the scheduler's and the worker's readers of {@code etc/org.weft.scheduler.cfg}.
 */
public final class SettingKeys {

    private final String pid;
    private final Map<String, ?> properties;
    private final Map<String, Object> running;
    private final List<String> rejected = new ArrayList<>();

    /**
     * @param pid the configuration's PID, for the log lines
     * @param running every key's value in force, which a malformed value leaves in place
     */
    public SettingKeys(String pid, Map<String, ?> properties, Map<String, Object> running) {
        this.pid = pid;
        this.properties = properties == null ? Map.of() : properties;
        this.running = running;
    }

    /** A log line per value rejected so far. */
    public List<String> rejected() {
        return rejected;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String key, T fallback, Function<String, T> parse) {
        Object raw = properties.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            return parse.apply(String.valueOf(raw).trim());
        } catch (IllegalArgumentException e) {
            Object kept = running.get(key);
            rejected.add(pid + ": " + key + " = '" + raw + "' is rejected (" + e.getMessage()
                    + "); keeping " + key + " = " + kept);
            return kept instanceof String ? parse.apply((String) kept) : (T) kept;
        }
    }

    /** The plugin host's keys ({@code plugin.*}), which scheduler and worker share; absent ones as in {@code p}. */
    public PluginHostConfig pluginHost(PluginHostConfig p) {
        return new PluginHostConfig(
                get("plugin.maxConsecutiveFailures", p.maxConsecutiveFailures(), SettingKeys::count),
                TimeUnit.MILLISECONDS.toNanos(get("plugin.slowCallMillis",
                        TimeUnit.NANOSECONDS.toMillis(p.slowCallNanos()), SettingKeys::positiveLong)),
                get("plugin.handoverMillis", p.handoverMillis(), SettingKeys::nonNegativeLong),
                get("plugin.handoverCapacity", p.handoverCapacity(), SettingKeys::count));
    }

    public static int count(String text) {
        int n = wholeNumber(text, Integer::parseInt);
        if (n < 0) {
            throw new IllegalArgumentException("must be 0 or more");
        }
        return n;
    }

    public static int positiveCount(String text) {
        int n = wholeNumber(text, Integer::parseInt);
        if (n < 1) {
            throw new IllegalArgumentException("must be 1 or more");
        }
        return n;
    }

    public static long nonNegativeLong(String text) {
        long n = wholeNumber(text, Long::parseLong);
        if (n < 0) {
            throw new IllegalArgumentException("must be 0 or more");
        }
        return n;
    }

    public static long positiveLong(String text) {
        long n = wholeNumber(text, Long::parseLong);
        if (n < 1) {
            throw new IllegalArgumentException("must be 1 or more");
        }
        return n;
    }

    private static <N> N wholeNumber(String text, Function<String, N> parse) {
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }

    public static double positiveNumber(String text) {
        double x;
        try {
            x = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
        if (!(x > 0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("must be a number above 0");
        }
        return x;
    }

    public static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }
}
