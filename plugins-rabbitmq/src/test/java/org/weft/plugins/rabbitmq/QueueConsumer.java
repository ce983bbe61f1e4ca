package org.weft.plugins.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Collections;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/** A consumer on the real broker (127.0.0.1:5672, guest), on a fresh queue deleted at close. */
final class QueueConsumer implements AutoCloseable {

    static final String BROKER = "amqp://127.0.0.1:5672";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One delivery: its properties and its parsed body. */
    record Received(AMQP.BasicProperties props, JsonNode body, String raw) {
        long seq() {
            return body.get("seq").asLong();
        }

        String key() {
            return body.get("key").asText();
        }
    }

    final String queue = "weft-test-" + UUID.randomUUID();
    /** In arrival order; iterate it only once the count is reached (or synchronized on it). */
    final List<Received> received = Collections.synchronizedList(new java.util.ArrayList<>());
    private final Connection connection;
    private final Channel channel;

    QueueConsumer() throws IOException, TimeoutException {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setAutomaticRecoveryEnabled(true); // across a broker restart: reconnects, declares the queue, consumes again
        f.setNetworkRecoveryInterval(500);
        connection = f.newConnection("weft-test-consumer");
        channel = connection.createChannel();
        channel.queueDeclare(queue, true, false, false, null);
        channel.basicConsume(queue, true, (tag, d) -> {
            String raw = new String(d.getBody(), StandardCharsets.UTF_8);
            received.add(new Received(d.getProperties(), JSON.readTree(raw), raw));
        }, tag -> { });
    }

    /** The plugin's settings for this queue (through {@code broker}), plus {@code more}. */
    Map<String, Object> config(String broker, Map<String, Object> more) {
        Map<String, Object> c = new java.util.HashMap<>(Map.of("enabled", true, "uri", broker,
                "routingKey", queue, "queue", queue, "reconnect.initialMillis", 50, "reconnect.maxMillis", 500));
        c.putAll(more);
        return c;
    }

    @Override
    public void close() throws IOException, TimeoutException {
        try {
            channel.queueDelete(queue);
        } finally {
            connection.close();
        }
    }
}
