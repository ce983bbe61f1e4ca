package org.weft.comm.netty;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A {@code tcp://host:port} address; IPv6 hosts in brackets ({@code tcp://[::1]:8786}).
 *
 * @param host a name or an IP literal (without brackets)
 * @param port 0 to 65535 (0: any free port, when listening)
 */
public record TcpAddress(String host, int port) {

    public TcpAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("an address needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0..65535: " + port);
        }
    }

    /** @throws IllegalArgumentException naming the address and what is wrong with it */
    public static TcpAddress parse(String address) {
        if (address == null) {
            throw new IllegalArgumentException("no address given: expected tcp://host:port");
        }
        URI uri;
        try {
            uri = new URI(address.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a tcp://host:port address: '" + address + "' (" + e.getReason() + ")", e);
        }
        if (!"tcp".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not a tcp://host:port address: '" + address + "' (scheme "
                    + (uri.getScheme() == null ? "missing" : "'" + uri.getScheme() + "'") + ")");
        }
        String host = uri.getHost();
        if (host == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("not a tcp://host:port address: '" + address + "' (host or port missing)");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("not a tcp://host:port address: '" + address + "' (only host and port allowed)");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new TcpAddress(host, uri.getPort());
    }

    @Override
    public String toString() {
        return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
