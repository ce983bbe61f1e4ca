package org.weft.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How {@link Client#connect(String, ClientOptions)} reaches a scheduler over the network: the
 * cluster token, TLS, and how long to wait for the scheduler to accept. Immutable; start from
 * {@link #defaults()}.
 *
 * <pre>{@code
 * Client.connect("tcp://scheduler:8786", ClientOptions.defaults()
 *         .withToken(secret)
 *         .withTls(Path.of("ca.pem"), Path.of("client.pem"), Path.of("client-key.pem")));
 * }</pre>
 *
 * @since 1.2
 */
@ProviderType
public final class ClientOptions {

    /** The environment variable whose value is the token when none is given. */
    public static final String TOKEN_ENV = "WEFT_TOKEN";
    /** How long {@link Client#connect(String)} waits for the scheduler's welcome by default. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private static final ClientOptions DEFAULTS = new ClientOptions(null, false, null, null, null, DEFAULT_CONNECT_TIMEOUT);

    private final String token;
    private final boolean tls;
    private final Path tlsCa;
    private final Path tlsCert;
    private final Path tlsKey;
    private final Duration connectTimeout;

    private ClientOptions(String token, boolean tls, Path tlsCa, Path tlsCert, Path tlsKey, Duration connectTimeout) {
        this.token = token;
        this.tls = tls;
        this.tlsCa = tlsCa;
        this.tlsCert = tlsCert;
        this.tlsKey = tlsKey;
        this.connectTimeout = connectTimeout;
    }

    /** No token (but see {@link #token()}), no TLS, a 30 s connect timeout. */
    public static ClientOptions defaults() {
        return DEFAULTS;
    }

    /** The cluster token the scheduler expects; null: the one in {@value #TOKEN_ENV}, if set. */
    public ClientOptions withToken(String token) {
        return new ClientOptions(token, tls, tlsCa, tlsCert, tlsKey, connectTimeout);
    }

    /**
     * Connects with TLS.
     *
     * @param ca the PEM file of the certificate authority that issued the scheduler's certificate
     * @param cert this client's PEM certificate chain, for a scheduler that asks for one; null: none
     * @param key the PEM private key (PKCS#8, unencrypted) of {@code cert}; null exactly when {@code cert} is
     */
    public ClientOptions withTls(Path ca, Path cert, Path key) {
        Objects.requireNonNull(ca, "ca");
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("a TLS certificate and its key go together: give both or neither");
        }
        return new ClientOptions(token, true, ca, cert, key, connectTimeout);
    }

    /** How long to wait for the connection and the scheduler's welcome. */
    public ClientOptions withConnectTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the connect timeout must be positive, got " + timeout);
        }
        return new ClientOptions(token, tls, tlsCa, tlsCert, tlsKey, timeout);
    }

    /** The token given, else the value of {@value #TOKEN_ENV} if set and not blank, else null. */
    public String token() {
        if (token != null) {
            return token;
        }
        String env = System.getenv(TOKEN_ENV);
        return env == null || env.isBlank() ? null : env.trim();
    }

    /** Whether the connection uses TLS. */
    public boolean tls() {
        return tls;
    }

    public Path tlsCa() {
        return tlsCa;
    }

    public Path tlsCert() {
        return tlsCert;
    }

    public Path tlsKey() {
        return tlsKey;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public String toString() {
        return "ClientOptions[token=" + (token() == null ? "none" : "***") + ", tls=" + tls() + ", connectTimeout="
                + connectTimeout + "]";
    }
}
