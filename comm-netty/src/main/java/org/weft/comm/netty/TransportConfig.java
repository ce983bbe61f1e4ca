package org.weft.comm.netty;

/**
 * How a link behaves; the same record serves listening and connecting.
 *
 * @param maxFrameBytes the largest frame read or written (the length prefix not counted); a peer
 *        that sends a larger one gets {@code Error} and is closed
 * @param connectTimeoutMillis how long a connect may take until the TCP connection stands
 * @param handshakeTimeoutMillis how long a peer may take to send its hello (listening side) or
 *        its welcome (connecting side)
 * @param token the cluster token a connecting peer must send in its hello, and sends; null: none
 * @param tls TLS settings; null: plain TCP
 * @param writeBufferLowBytes a link that stopped reading reads again once its unsent bytes fall below this
 * @param writeBufferHighBytes a link whose unsent bytes exceed this stops reading from its peer
 */
public record TransportConfig(int maxFrameBytes, long connectTimeoutMillis, long handshakeTimeoutMillis, String token,
        TlsConfig tls, int writeBufferLowBytes, int writeBufferHighBytes) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 256 * 1024 * 1024;
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    public static final int DEFAULT_WRITE_BUFFER_LOW_BYTES = 1024 * 1024;
    public static final int DEFAULT_WRITE_BUFFER_HIGH_BYTES = 4 * 1024 * 1024;

    public TransportConfig {
        if (maxFrameBytes <= 0 || maxFrameBytes > Integer.MAX_VALUE - 4) {
            throw new IllegalArgumentException("maxFrameBytes must be in 1.." + (Integer.MAX_VALUE - 4) + ": " + maxFrameBytes);
        }
        if (connectTimeoutMillis <= 0 || connectTimeoutMillis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeoutMillis must be positive (and fit an int): " + connectTimeoutMillis);
        }
        if (handshakeTimeoutMillis <= 0) {
            throw new IllegalArgumentException("handshakeTimeoutMillis must be positive: " + handshakeTimeoutMillis);
        }
        if (writeBufferLowBytes <= 0 || writeBufferHighBytes < writeBufferLowBytes) {
            throw new IllegalArgumentException("write buffer marks must satisfy 0 < low <= high: " + writeBufferLowBytes
                    + ", " + writeBufferHighBytes);
        }
    }

    /** 256 MiB frames, 10 s to connect and 10 s to shake hands, no token, plain TCP, 1 / 4 MiB marks. */
    /**
     * The defaults with the network settings {@code bin/weft} passes its processes as framework
     * properties: {@code weft.token}, {@code weft.tls.certificate}, {@code weft.tls.key},
     * {@code weft.tls.ca}, {@code weft.tls.requireClientCertificate}.
     *
     * @param property a property's value by name, null when unset (e.g. {@code BundleContext::getProperty})
     */
    public static TransportConfig fromProperties(java.util.function.Function<String, String> property) {
        TransportConfig config = defaults();
        String token = property.apply("weft.token");
        if (token != null && !token.isBlank()) {
            config = config.withToken(token.trim());
        }
        String certificate = property.apply("weft.tls.certificate");
        String key = property.apply("weft.tls.key");
        String ca = property.apply("weft.tls.ca");
        if (certificate != null || key != null || ca != null) {
            config = config.withTls(new TlsConfig(path(certificate), path(key), path(ca),
                    Boolean.parseBoolean(property.apply("weft.tls.requireClientCertificate"))));
        }
        return config;
    }

    private static java.nio.file.Path path(String file) {
        return file == null || file.isBlank() ? null : java.nio.file.Path.of(file.trim());
    }

    public static TransportConfig defaults() {
        return new TransportConfig(DEFAULT_MAX_FRAME_BYTES, DEFAULT_CONNECT_TIMEOUT_MILLIS,
                DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, null, null, DEFAULT_WRITE_BUFFER_LOW_BYTES,
                DEFAULT_WRITE_BUFFER_HIGH_BYTES);
    }

    public TransportConfig withMaxFrameBytes(int bytes) {
        return new TransportConfig(bytes, connectTimeoutMillis, handshakeTimeoutMillis, token, tls, writeBufferLowBytes,
                writeBufferHighBytes);
    }

    public TransportConfig withConnectTimeoutMillis(long millis) {
        return new TransportConfig(maxFrameBytes, millis, handshakeTimeoutMillis, token, tls, writeBufferLowBytes,
                writeBufferHighBytes);
    }

    public TransportConfig withHandshakeTimeoutMillis(long millis) {
        return new TransportConfig(maxFrameBytes, connectTimeoutMillis, millis, token, tls, writeBufferLowBytes,
                writeBufferHighBytes);
    }

    public TransportConfig withToken(String newToken) {
        return new TransportConfig(maxFrameBytes, connectTimeoutMillis, handshakeTimeoutMillis, newToken, tls,
                writeBufferLowBytes, writeBufferHighBytes);
    }

    public TransportConfig withTls(TlsConfig newTls) {
        return new TransportConfig(maxFrameBytes, connectTimeoutMillis, handshakeTimeoutMillis, token, newTls,
                writeBufferLowBytes, writeBufferHighBytes);
    }

    public TransportConfig withWriteBuffer(int lowBytes, int highBytes) {
        return new TransportConfig(maxFrameBytes, connectTimeoutMillis, handshakeTimeoutMillis, token, tls, lowBytes,
                highBytes);
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "TransportConfig[maxFrameBytes=" + maxFrameBytes + ", connectTimeoutMillis=" + connectTimeoutMillis
                + ", handshakeTimeoutMillis=" + handshakeTimeoutMillis + ", token=" + (token == null ? "none" : "set")
                + ", tls=" + tls + ", writeBuffer=" + writeBufferLowBytes + ".." + writeBufferHighBytes + "]";
    }
}
