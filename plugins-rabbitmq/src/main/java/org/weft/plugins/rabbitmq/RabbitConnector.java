package org.weft.plugins.rabbitmq;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmCallback;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Opens the publisher's connection and channel (confirms on, the queue declared), and turns the
 * client's exceptions into lines a user can act on ({@link #describe}).
 */
final class RabbitConnector {

    /** Connection name shown by the broker ({@code rabbitmqctl list_connections client_properties}). */
    static final String CONNECTION_NAME_PREFIX = "weft-rabbitmq ";

    private RabbitConnector() {
    }

    /** An open connection and its one channel. */
    record Link(Connection connection, Channel channel) {
        void close() {
            try {
                connection.close(1000);
            } catch (IOException | RuntimeException e) {
                // closing a broken connection: nothing to do
            }
        }
    }

    static Link open(PublisherSettings s, ConfirmCallback acked, ConfirmCallback nacked,
            Consumer<ShutdownSignalException> lost) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(s.uri());
            if (s.tls() && s.tlsVerify()) { // setUri chose the client's trust-everything context for amqps
                factory.useSslProtocol(SSLContext.getDefault());
                factory.enableHostnameVerification();
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use uri " + s.safeUri() + ": " + e.getMessage(), e);
        }
        if (!s.username().isEmpty()) {
            factory.setUsername(s.username());
        }
        if (!s.password().isEmpty()) {
            factory.setPassword(s.password());
        }
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setConnectionTimeout(5_000);
        factory.setHandshakeTimeout(5_000);
        factory.setRequestedHeartbeat(10);
        Connection connection = factory.newConnection(CONNECTION_NAME_PREFIX + s.schedulerId());
        try {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            if (!s.queue().isEmpty()) {
                channel.queueDeclare(s.queue(), true, false, false, null);
                if (!s.exchange().isEmpty()) {
                    channel.queueBind(s.queue(), s.exchange(), s.routingKey());
                }
            }
            channel.addConfirmListener(acked, nacked);
            channel.addShutdownListener(lost::accept);
            connection.addShutdownListener(lost::accept);
            return new Link(connection, channel);
        } catch (IOException | RuntimeException e) {
            connection.abort(1000);
            throw e;
        }
    }

    /** Where messages go, for status lines. */
    static String destination(PublisherSettings s) {
        String to = s.exchange().isEmpty() ? "default exchange" : "exchange '" + s.exchange() + "'";
        return to + ", routing key '" + s.routingKey() + "'" + (s.queue().isEmpty() ? "" : ", queue '" + s.queue() + "'");
    }

    /** A line saying what went wrong, in the user's terms. */
    static String describe(Throwable e, PublisherSettings s) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof ShutdownSignalException)) {
            root = root.getCause();
        }
        String host = s.uri().getHost() + ":" + (s.uri().getPort() < 0 ? (s.tls() ? 5671 : 5672) : s.uri().getPort());
        if (e instanceof AuthenticationFailureException || e instanceof PossibleAuthenticationFailureException
                || root instanceof AuthenticationFailureException) {
            return "authentication failed for user '" + (s.username().isEmpty() ? "from the uri or guest" : s.username())
                    + "' at " + host + " (check username, password or credentialsFile)";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host '" + s.uri().getHost() + "' (check uri)";
        }
        if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
            return "cannot connect to " + host + ": " + root.getMessage() + " (is the broker running?)";
        }
        if (root instanceof SocketTimeoutException || e instanceof TimeoutException) {
            return "timed out connecting to " + host;
        }
        if (root instanceof SSLException) {
            return "TLS handshake with " + host + " failed: " + root.getMessage();
        }
        if (root instanceof ShutdownSignalException sse) {
            String reason = sse.getReason() == null ? sse.getMessage() : sse.getReason().toString();
            if (reason.contains("ACCESS_REFUSED")) {
                return "permission refused by the broker: " + text(sse) + " (check the user's permissions on the vhost)";
            }
            if (reason.contains("NOT_ALLOWED") || reason.contains("vhost")) {
                return "the broker refused the virtual host: " + text(sse) + " (check uri's vhost and permissions)";
            }
            return text(sse);
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static String text(ShutdownSignalException sse) {
        String m = sse.getMessage();
        int reply = m == null ? -1 : m.indexOf("reply-text=");
        if (reply >= 0) {
            int end = m.indexOf(", ", reply);
            return m.substring(reply + "reply-text=".length(), end < 0 ? m.length() : end);
        }
        return m == null ? sse.toString() : m;
    }
}
