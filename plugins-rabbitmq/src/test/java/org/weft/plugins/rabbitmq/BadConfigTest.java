package org.weft.plugins.rabbitmq;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;

/** Each bad configuration gives a clear status; the plugin keeps taking events and retries where it can. */
class BadConfigTest {

    @TempDir
    Path buffer;

    private static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> c = new HashMap<>(Map.of("enabled", true, "uri", QueueConsumer.BROKER,
                "queue", "", "routingKey", "weft-test-unrouted", "reconnect.initialMillis", 50,
                "reconnect.maxMillis", 200, "closeTimeoutMillis", 0));
        for (int i = 0; i < keyValues.length; i += 2) {
            c.put((String) keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    private static String refused(Object... keyValues) {
        return assertThrows(IllegalArgumentException.class,
                () -> PublisherSettings.from(ConfigMaps.config(config(keyValues)))).getMessage();
    }

    @Test
    void malformedSettingsAreRefusedWithTheKeyNamed() {
        assertTrue(refused("uri", "amqp://[::1").contains("uri 'amqp://[::1' is malformed"), refused("uri", "amqp://[::1"));
        assertTrue(refused("uri", "http://localhost").contains("must start with amqp:// or amqps://"));
        assertTrue(refused("transitions", "processing->done").contains("transitions: in 'processing->done'"));
        assertTrue(refused("transitions", "processing").contains("is not start->finish"));
        assertTrue(refused("confirmWindow", 0).contains("confirmWindow must be at least 1"));
        assertTrue(refused("credentialsFile", "/no/such/file").contains("credentialsFile '/no/such/file' cannot be read"));
    }

    @Test
    void theComponentShowsABadConfigurationAndPublishesNothing() {
        RabbitMqComponent component = new RabbitMqComponent(null, ConfigMaps.config(config("uri", "amqp://[::1")));
        String status = component.statusText();
        assertTrue(status.startsWith("bad config: uri 'amqp://[::1' is malformed"), status);
        assertTrue(status.contains("not publishing"), status);
        component.deactivate();
    }

    /** Starts a publisher with {@code keyValues}, gives it a transition and waits for its error. */
    private static String errorOf(Path buffer, Object... keyValues) throws Exception {
        try (TransitionPublisher p = TransitionPublisher.open(config(keyValues), buffer)) {
            p.offer(new TransitionEvent("k", SchedulerTaskState.RELEASED, SchedulerTaskState.WAITING, "s", null, -1,
                    null, List.of(), null, null)); // as the scheduler loop hands it over
            await().atMost(Duration.ofSeconds(5)).until(() -> p.taken() == 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> p.status().lastError() != null);
            // it keeps retrying, and keeps the message
            await().atMost(Duration.ofSeconds(5)).until(() -> p.status().lastErrorAt() != null);
            PublisherStatus s = p.status();
            assertEquals(1, s.bufferedMemory() + s.unconfirmed(), s.line());
            assertEquals(0, s.confirmed());
            return s.lastError();
        }
    }

    @Test
    void unknownHost() throws Exception {
        String e = errorOf(buffer, "uri", "amqp://no-such-host.invalid");
        assertTrue(e.contains("unknown host 'no-such-host.invalid'") || e.contains("cannot connect"), e);
    }

    @Test
    void nothingListening() throws Exception {
        String e = errorOf(buffer, "uri", "amqp://127.0.0.1:1");
        assertTrue(e.startsWith("cannot connect to 127.0.0.1:1"), e);
    }

    @Test
    void wrongPassword() throws Exception {
        String e = errorOf(buffer, "username", "guest", "password", "not-the-password");
        assertTrue(e.startsWith("authentication failed for user 'guest'"), e);
    }

    @Test
    void credentialsFileIsRead() throws Exception {
        Path file = Files.writeString(buffer.resolveSibling(buffer.getFileName() + ".credentials"),
                "username=weft-no-such-user\npassword=x\n");
        String e = errorOf(buffer, "credentialsFile", file.toString());
        assertTrue(e.startsWith("authentication failed for user 'weft-no-such-user'"), e);
    }

    @Test
    void unknownVirtualHost() throws Exception {
        String e = errorOf(buffer, "uri", QueueConsumer.BROKER + "/weft-no-such-vhost");
        assertTrue(e.contains("virtual host") || e.contains("vhost"), e);
    }

    @Test
    void queueThePermissionsDoNotAllow() throws Exception {
        String e = errorOf(buffer, "queue", "amq.weft-test", "routingKey", "amq.weft-test");
        assertTrue(e.startsWith("permission refused by the broker: ACCESS_REFUSED"), e);
    }
}
