package org.weft.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * The token and TLS options of the commands that talk over the network ({@code scheduler},
 * {@code worker}), and the framework properties they become: {@code weft.token},
 * {@code weft.tls.certificate}, {@code weft.tls.key}, {@code weft.tls.ca},
 * {@code weft.tls.requireClientCertificate}. The token is never printed or logged.
 */
final class NetworkOptions {

    static final String TOKEN_PROPERTY = "weft.token";
    static final String TOKEN_ENV = "WEFT_TOKEN";
    static final String TLS_CERTIFICATE = "weft.tls.certificate";
    static final String TLS_KEY = "weft.tls.key";
    static final String TLS_CA = "weft.tls.ca";
    static final String TLS_REQUIRE_CLIENT_CERTIFICATE = "weft.tls.requireClientCertificate";

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the shared secret every process of the cluster must present "
                    + "(its first line; default: the environment variable " + TOKEN_ENV + ", else none). "
                    + "Needed, with TLS, as soon as anything listens beyond loopback.")
    private Path tokenFile;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate (chain) this process presents; with --tls-key (default: no TLS).")
    private Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of --tls-cert.")
    private Path tlsKey;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "PEM certificate(s) of the authority that signed the other side's certificate "
                    + "(default: the JDK's trusted authorities).")
    private Path tlsCa;

    @Option(names = "--tls-require-client-cert",
            description = "Accept only peers presenting a certificate signed by --tls-ca (mutual TLS; default: off).")
    private boolean requireClientCertificate;

    /** The token, read once by {@link #problem()}. */
    private String token;

    /** @return an error message, or null when the values are usable (and the token was read) */
    String problem() {
        if ((tlsCertificate == null) != (tlsKey == null)) {
            return "--tls-cert and --tls-key go together: give both or neither";
        }
        if (requireClientCertificate && (tlsCertificate == null || tlsCa == null)) {
            return "--tls-require-client-cert needs --tls-cert, --tls-key and --tls-ca";
        }
        for (Map.Entry<String, Path> file : files().entrySet()) {
            if (file.getValue() != null && !Files.isReadable(file.getValue())) {
                return file.getKey() + " " + file.getValue() + ": no such readable file";
            }
        }
        if (tokenFile != null) {
            try {
                token = firstLine(Files.readString(tokenFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return "--token-file " + tokenFile + ": cannot read it (" + e.getMessage() + ")";
            }
            if (token.isEmpty()) {
                return "--token-file " + tokenFile + " is empty: put the token on its first line";
            }
        } else {
            String env = System.getenv(TOKEN_ENV);
            token = env == null || env.isBlank() ? null : env.strip();
        }
        return null;
    }

    private Map<String, Path> files() {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("--token-file", tokenFile);
        files.put("--tls-cert", tlsCertificate);
        files.put("--tls-key", tlsKey);
        files.put("--tls-ca", tlsCa);
        return files;
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    boolean hasToken() {
        return token != null;
    }

    boolean tls() {
        return tlsCertificate != null || tlsCa != null;
    }

    /** Call after {@link #problem()} returned null. */
    void putInto(Map<String, String> properties) {
        if (token != null) {
            properties.put(TOKEN_PROPERTY, token);
        }
        putPath(properties, TLS_CERTIFICATE, tlsCertificate);
        putPath(properties, TLS_KEY, tlsKey);
        putPath(properties, TLS_CA, tlsCa);
        if (tls()) {
            properties.put(TLS_REQUIRE_CLIENT_CERTIFICATE, String.valueOf(requireClientCertificate));
        }
    }

    private static void putPath(Map<String, String> properties, String name, Path file) {
        if (file != null) {
            properties.put(name, file.toAbsolutePath().normalize().toString());
        }
    }

    /** "token on", "TLS", ...: for the banner; never the token itself. */
    String describe() {
        String token = hasToken() ? "token" : "no token";
        return tls() ? token + ", TLS" + (requireClientCertificate ? " with client certificates" : "") : token + ", no TLS";
    }

    /**
     * A process listening beyond loopback without a token or TLS: anyone who reaches the port can
     * run tasks or read results. Said on stderr, the process still starts.
     */
    void warnIfExposed(String host) {
        if (!NetworkValues.isLoopback(host) && (!hasToken() || !tls())) {
            System.err.println("weft: WARNING listening on " + host + " without " + (hasToken() ? "" : "a token")
                    + (!hasToken() && !tls() ? " and " : "") + (tls() ? "" : "TLS")
                    + ": anyone who can reach this port can join, submit tasks or read results"
                    + " (see --token-file and --tls-cert, --tls-key, --tls-ca)");
        }
    }

    /** The properties as they may be logged: the token's value hidden. */
    static Map<String, String> redacted(Map<String, String> properties) {
        if (!properties.containsKey(TOKEN_PROPERTY)) {
            return properties;
        }
        Map<String, String> copy = new LinkedHashMap<>(properties);
        copy.put(TOKEN_PROPERTY, "(hidden)");
        return copy;
    }
}
