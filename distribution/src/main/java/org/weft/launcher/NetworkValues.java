package org.weft.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of the network values given on the command line: addresses, hosts, ports, durations. */
final class NetworkValues {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private NetworkValues() {
    }

    /**
     * @return an error message for {@code option}, or null when {@code address} is
     *         {@code tcp://HOST:PORT} with a port from 1 to 65535
     */
    static String addressProblem(String option, String address) {
        String expected = option + " must be tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786; was '" + address + "'";
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            return expected;
        }
        if (!"tcp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535
                || uri.getUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return expected;
        }
        return null;
    }

    /** @return an error message, or null when {@code host} is a host name or an IP address */
    static String hostProblem(String host) {
        String expected = "--host must be a host name or an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1); was '" + host + "'";
        if (host == null || host.isBlank()) {
            return expected;
        }
        String literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        try {
            URI uri = new URI("tcp://" + literal + ":1");
            return uri.getHost() == null ? expected : null;
        } catch (URISyntaxException e) {
            return expected;
        }
    }

    /** @return true for a host only this machine can reach (a loopback name or address) */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    /**
     * A duration: a number with a unit {@code ms}, {@code s}, {@code m} or {@code h}; a bare
     * number is seconds (as Dask's timeouts).
     *
     * @return the milliseconds
     * @throws IllegalArgumentException when it is not one
     */
    static long durationMillis(String option, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " must be a duration such as 30s, 500ms, 5m, 1h"
                    + " (a bare number is seconds); was '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double factor = switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        return Math.round(value * factor);
    }
}
