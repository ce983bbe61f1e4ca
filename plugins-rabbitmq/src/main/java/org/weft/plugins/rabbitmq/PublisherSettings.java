package org.weft.plugins.rabbitmq;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;

/**
 * The checked, immutable form of {@link RabbitMqConfig}. {@link #from} refuses a bad configuration
 * with a message naming the key and the problem; the plugin shows that message and stays idle.
 */
record PublisherSettings(
        URI uri,
        String username,
        String password,
        boolean tlsVerify,
        String exchange,
        String routingKey,
        String queue,
        TransitionFilter transitions,
        String schedulerId,
        int confirmWindow,
        int memoryMessages,
        long diskBytes,
        String bufferDirectory,
        long reconnectInitialMillis,
        long reconnectMaxMillis,
        long closeTimeoutMillis) {

    static PublisherSettings from(RabbitMqConfig c) {
        URI uri = parseUri(c.uri());
        String username = c.username();
        String password = c.password();
        if (!c.credentialsFile().isBlank()) {
            Properties p = readCredentials(c.credentialsFile().trim());
            username = p.getProperty("username", username);
            password = p.getProperty("password", password);
        }
        if (c.confirmWindow() < 1) {
            throw new IllegalArgumentException("confirmWindow must be at least 1, was " + c.confirmWindow());
        }
        if (c.buffer_memoryMessages() < 1) {
            throw new IllegalArgumentException("buffer.memoryMessages must be at least 1, was " + c.buffer_memoryMessages());
        }
        if (c.buffer_diskBytes() < 0) {
            throw new IllegalArgumentException("buffer.diskBytes must not be negative, was " + c.buffer_diskBytes());
        }
        if (c.reconnect_initialMillis() < 1 || c.reconnect_maxMillis() < c.reconnect_initialMillis()) {
            throw new IllegalArgumentException("reconnect: need 1 <= reconnect.initialMillis <= reconnect.maxMillis, was "
                    + c.reconnect_initialMillis() + " and " + c.reconnect_maxMillis());
        }
        if (c.exchange().isBlank() && c.routingKey().isBlank()) {
            throw new IllegalArgumentException("routingKey must be set when publishing to the default exchange "
                    + "(it names the queue)");
        }
        return new PublisherSettings(uri, username, password, c.tls_verify(), c.exchange().trim(),
                c.routingKey().trim(), c.queue().trim(), TransitionFilter.parse(c.transitions()), c.schedulerId().trim(),
                c.confirmWindow(), c.buffer_memoryMessages(), c.buffer_diskBytes(), c.buffer_directory().trim(),
                c.reconnect_initialMillis(), c.reconnect_maxMillis(), Math.max(0, c.closeTimeoutMillis()));
    }

    private static URI parseUri(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("uri '" + text + "' is malformed: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("amqp") && !scheme.equals("amqps")) {
            throw new IllegalArgumentException("uri '" + text + "' must start with amqp:// or amqps://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("uri '" + text + "' names no host");
        }
        return uri;
    }

    private static Properties readCredentials(String file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("credentialsFile '" + file + "' cannot be read: " + e, e);
        }
        return p;
    }

    PublisherSettings withSchedulerId(String id) {
        return new PublisherSettings(uri, username, password, tlsVerify, exchange, routingKey, queue, transitions, id,
                confirmWindow, memoryMessages, diskBytes, bufferDirectory, reconnectInitialMillis, reconnectMaxMillis,
                closeTimeoutMillis);
    }

    boolean tls() {
        return uri.getScheme().equalsIgnoreCase("amqps");
    }

    /** The URI without any password, for status lines and logs. */
    String safeUri() {
        String info = uri.getUserInfo();
        String s = uri.toString();
        if (info != null && info.contains(":")) {
            s = s.replace(info, info.substring(0, info.indexOf(':')) + ":***");
        }
        return s;
    }

    /** Whether a change to {@code other} needs a new connection (anything the connection was made with). */
    boolean sameConnection(PublisherSettings other) {
        return other != null && uri.equals(other.uri) && Objects.equals(username, other.username)
                && Objects.equals(password, other.password) && tlsVerify == other.tlsVerify
                && exchange.equals(other.exchange) && routingKey.equals(other.routingKey) && queue.equals(other.queue);
    }
}
