package org.weft.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    private static final ClientOptions DEFAULTS = new ClientOptions(null, false, null, null, null, DEFAULT_CONNECT_TIMEOUT,
            List.of(), List.of());

    private final String token;
    private final boolean tls;
    private final Path tlsCa;
    private final Path tlsCert;
    private final Path tlsKey;
    private final Duration connectTimeout;
    private final List<String> preloads;
    private final List<List<String>> preloadArgv;

    private ClientOptions(String token, boolean tls, Path tlsCa, Path tlsCert, Path tlsKey, Duration connectTimeout,
            List<String> preloads, List<List<String>> preloadArgv) {
        this.token = token;
        this.tls = tls;
        this.tlsCa = tlsCa;
        this.tlsCert = tlsCert;
        this.tlsKey = tlsKey;
        this.connectTimeout = connectTimeout;
        this.preloads = preloads;
        this.preloadArgv = preloadArgv;
    }

    /** No token (but see {@link #token()}), no TLS, a 30 s connect timeout. */
    public static ClientOptions defaults() {
        return DEFAULTS;
    }

    /** The cluster token the scheduler expects; null: the one in {@value #TOKEN_ENV}, if set. */
    public ClientOptions withToken(String token) {
        return new ClientOptions(token, tls, tlsCa, tlsCert, tlsKey, connectTimeout, preloads, preloadArgv);
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
        return new ClientOptions(token, true, ca, cert, key, connectTimeout, preloads, preloadArgv);
    }

    /** How long to wait for the connection and the scheduler's welcome. */
    public ClientOptions withConnectTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the connect timeout must be positive, got " + timeout);
        }
        return new ClientOptions(token, tls, tlsCa, tlsCert, tlsKey, timeout, preloads, preloadArgv);
    }

    /**
     * Code the client runs once connected, and again when it closes (Dask's client preloads): each
     * a jar's path (its {@code Weft-Preload} manifest header names the class), a class name on the
     * class path, or Java statements run with JShell; see {@code org.weft.plugin.api.Preload}.
     * They are found before the client connects; one that fails makes
     * {@link Client#connect(String, ClientOptions)} throw, naming it.
     *
     * @param argv each preload's arguments, in order (for the options it declares with picocli),
     *        as many lists as preloads; or an empty list when none takes any
     * @throws IllegalArgumentException if {@code argv} is not empty and not one list per preload
     * @since 1.2
     */
    public ClientOptions withPreloads(List<String> preloads, List<List<String>> argv) {
        List<String> names = List.copyOf(preloads);
        List<List<String>> lists = argv.stream().map(List::copyOf).toList();
        if (!lists.isEmpty() && lists.size() != names.size()) {
            throw new IllegalArgumentException("give one argument list per preload: " + lists.size() + " lists for "
                    + names.size() + " preloads");
        }
        if (names.stream().anyMatch(p -> p == null || p.isBlank())) {
            throw new IllegalArgumentException("a preload must not be empty: give a jar's path, a class name or Java statements");
        }
        return new ClientOptions(token, tls, tlsCa, tlsCert, tlsKey, connectTimeout, names,
                lists.isEmpty() ? names.stream().map(p -> List.<String>of()).toList() : lists);
    }

    /** The client's preloads, in order; empty by default. */
    public List<String> preloads() {
        return preloads;
    }

    /** Each preload's arguments, one list per preload. */
    public List<List<String>> preloadArgv() {
        return preloadArgv;
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
                + connectTimeout + (preloads.isEmpty() ? "" : ", preloads=" + preloads) + "]";
    }
}
