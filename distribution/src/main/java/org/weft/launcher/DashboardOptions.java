package org.weft.launcher;

import java.util.Map;

import picocli.CommandLine.Option;

/**
 * {@code --dashboard-address} and {@code --no-dashboard} of the commands that run a scheduler
 * ({@code local}, {@code scheduler}), and the framework properties they become: Felix HTTP's
 * {@code org.apache.felix.http.enable}, {@code org.apache.felix.http.host},
 * {@code org.osgi.service.http.port}, and {@code weft.dashboard} ({@code off}, or the address).
 */
final class DashboardOptions {

    static final String DEFAULT_ADDRESS = "127.0.0.1:8787";
    /** Sets another default for {@code --dashboard-address}: for a host running several schedulers, or a container. */
    static final String ADDRESS_ENV = "WEFT_DASHBOARD_ADDRESS";

    @Option(names = "--dashboard-address", paramLabel = "HOST:PORT",
            defaultValue = "${env:" + ADDRESS_ENV + ":-" + DEFAULT_ADDRESS + "}",
            description = "Where the web dashboard and /metrics listen; port 0 for any free port, 0.0.0.0 for every "
                    + "interface (default: " + ADDRESS_ENV + " if set, else " + DEFAULT_ADDRESS + ", this machine only).")
    private String address;

    @Option(names = "--no-dashboard", description = "Serve no dashboard and no /metrics (default: served).")
    private boolean off;

    private String host;
    private int port;

    /** @return an error message, or null when the address is usable */
    String problem() {
        if (off) {
            return null;
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return source() + " must be HOST:PORT (e.g. " + DEFAULT_ADDRESS + "), was '" + address + "'";
        }
        host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            return source() + ": the port must be from 0 (any free port) to 65535, was '"
                    + address.substring(colon + 1) + "'";
        }
        String hostProblem = NetworkValues.hostProblem(host);
        return hostProblem == null ? null : source() + ": " + hostProblem;
    }

    /** What a problem names: the option, or the environment variable its value came from. */
    private String source() {
        return address.equals(System.getenv(ADDRESS_ENV)) ? ADDRESS_ENV + " (the default of --dashboard-address)"
                : "--dashboard-address";
    }

    /** Call after {@link #problem()} returned null. */
    void putInto(Map<String, String> properties) {
        if (off) {
            properties.put("weft.dashboard", "off");
            properties.put("org.apache.felix.http.enable", "false");
            return;
        }
        int free = port;
        if (port != 0 && !canListen(host, port)) {
            // as Dask does with a busy 8787: serve on another port rather than not at all
            System.err.println("weft: the dashboard's port " + port + " on " + host + " is in use; serving the dashboard on"
                    + " a free port instead (it prints 'dashboard at ...'; --dashboard-address to choose one)");
            free = 0;
        }
        properties.put("weft.dashboard", host + ":" + free);
        properties.put("org.apache.felix.http.enable", "true");
        properties.put("org.apache.felix.http.host", host);
        properties.put("org.osgi.service.http.port", String.valueOf(free));
    }

    /** Whether a server socket can listen on {@code host:port} now. */
    static boolean canListen(String host, int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(host), port), 1);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * A dashboard beyond loopback: its pages and /metrics are open to anyone who reaches the port
     * (plugin management still asks for the token). Said on stderr; the process still starts.
     */
    void warnIfExposed() {
        if (!off && !NetworkValues.isLoopback(host)) {
            System.err.println("weft: WARNING the dashboard listens on " + host + ": anyone who can reach port " + port
                    + " can read its pages and /metrics (plugin management still needs the token)");
        }
    }
}
