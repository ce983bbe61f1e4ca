package org.weft.node.osgi;

import org.osgi.framework.BundleContext;
import org.weft.comm.netty.TransportConfig;

/**
 * The network settings {@code bin/weft scheduler} and {@code bin/weft worker} pass as framework
 * properties: {@code weft.listen.host}, {@code weft.listen.port}, {@code weft.token},
 * {@code weft.tls.certificate}, {@code weft.tls.key}, {@code weft.tls.ca},
 * {@code weft.tls.requireClientCertificate}.
 */
public final class TransportSettings {

    public static final String HOST = "weft.listen.host";
    public static final String PORT = "weft.listen.port";
    public static final String TOKEN = "weft.token";

    private TransportSettings() {
    }

    public static TransportConfig transport(BundleContext context) {
        return TransportConfig.fromProperties(context::getProperty);
    }

    public static String host(BundleContext context) {
        String host = context.getProperty(HOST);
        return host == null || host.isBlank() ? "127.0.0.1" : host.trim();
    }

    /**
     * @throws IllegalArgumentException for a port that is not a number from 0 to 65535
     */
    public static int port(BundleContext context, int fallback) {
        String port = context.getProperty(PORT);
        if (port == null || port.isBlank()) {
            return fallback;
        }
        try {
            int p = Integer.parseInt(port.trim());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PORT + "=" + port + " is not a port (0 - 65535)");
        }
    }
}
