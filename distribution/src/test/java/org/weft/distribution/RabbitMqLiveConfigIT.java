package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The RabbitMQ plugin's settings applied live ({@code @Modified}) in the shipped runtime: editing
 * {@code etc/org.weft.plugins.rabbitmq.cfg} while Weft runs moves publishing to another queue with
 * another set of transitions, without a restart; a bad edit is shown and the last good settings
 * keep publishing.
 */
class RabbitMqLiveConfigIT {

    private static final Pattern KEY_AND_TRANSITION = Pattern.compile(
            "\"key\":\"([^\"]*)\",\"start\":\"([^\"]*)\",\"finish\":\"([^\"]*)\"");

    @TempDir
    Path dir;

    @Test
    void anEditOfTheCfgFileMovesPublishingToAnotherQueueWhileWeftRuns() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        String first = "weft-it-live-a-" + UUID.randomUUID();
        String second = "weft-it-live-b-" + UUID.randomUUID();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection("weft-it-live-config")) {
            Channel channel = connection.createChannel();
            List<String> onFirst = consume(channel, first);
            List<String> onSecond = consume(channel, second);
            try {
                run(weft, first, second, onFirst, onSecond);
            } finally {
                channel.queueDelete(first);
                channel.queueDelete(second);
            }
        }
    }

    private void run(WeftInstall weft, String first, String second, List<String> onFirst, List<String> onSecond)
            throws Exception {
        Path cfg = weft.home().resolve("etc/org.weft.plugins.rabbitmq.cfg");
        write(cfg, "enabled = true", "uri = amqp://127.0.0.1:5672", "queue = " + first, "routingKey = " + first);
        Files.writeString(weft.workDir().resolve("one.json"), graph("one", 50));
        Files.writeString(weft.workDir().resolve("two.json"), graph("two", 50));
        try (WeftInstall.Running w = weft.start("local", "--workers", "2")) {
            w.awaitStdout("the console", out -> out.contains("ready in"));
            w.send("weft:submit one.json");
            WeftInstall.awaitTrue("graph one's transitions on the first queue", () -> keys(onFirst, "one").size() == 50
                    && transitions(onFirst, "processing", "memory") >= 50);

            // edited while Weft runs: another queue, and only the transitions to memory
            write(cfg, "enabled = true", "uri = amqp://127.0.0.1:5672", "queue = " + second, "routingKey = " + second,
                    "transitions = processing->memory");
            pollStatus(w, "broker: .*routing key '" + Pattern.quote(second) + "'");
            int firstBefore = onFirst.size();
            w.send("weft:submit two.json");
            WeftInstall.awaitTrue("graph two's results on the second queue", () -> keys(onSecond, "two").size() == 50);
            synchronized (onSecond) {
                for (String m : onSecond) {
                    Matcher t = KEY_AND_TRANSITION.matcher(m);
                    assertTrue(t.find(), m);
                    if (t.group(1).startsWith("two-")) {
                        assertEquals("processing->memory", t.group(2) + "->" + t.group(3), "only the wanted transitions: " + m);
                    }
                }
            }
            assertEquals(Set.of(), keys(onFirst.subList(firstBefore, onFirst.size()), "two"),
                    "nothing of graph two on the first queue");

            // a bad edit: said in the status, and the last good settings keep publishing
            write(cfg, "enabled = true", "uri = nonsense://127.0.0.1", "queue = " + second, "routingKey = " + second,
                    "transitions = processing->memory");
            pollStatus(w, "bad config: .*nonsense.*publishing with the previous settings");
            Files.writeString(weft.workDir().resolve("three.json"), graph("three", 20));
            w.send("weft:submit three.json");
            WeftInstall.awaitTrue("graph three still published", () -> keys(onSecond, "three").size() == 20);
        }
    }

    /** Asks {@code rabbitmq:status} until its output matches {@code regex}. */
    private static void pollStatus(WeftInstall.Running w, String regex) {
        Pattern wanted = Pattern.compile(regex);
        int[] polls = {0};
        try {
            WeftInstall.awaitTrue("rabbitmq:status matching " + regex, () -> {
                if (polls[0]++ % 10 == 0) {
                    w.send("rabbitmq:status");
                }
                return wanted.matcher(w.stdout()).find();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(w.describe(), e);
        }
    }

    private static List<String> consume(Channel channel, String queue) throws Exception {
        channel.queueDeclare(queue, true, false, false, null);
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        channel.basicConsume(queue, true, (tag, d) -> received.add(new String(d.getBody(), StandardCharsets.UTF_8)),
                tag -> { });
        return received;
    }

    private static Set<String> keys(List<String> messages, String prefix) {
        Set<String> keys = new TreeSet<>();
        synchronized (messages) {
            for (String m : messages) {
                Matcher t = KEY_AND_TRANSITION.matcher(m);
                if (t.find() && t.group(1).startsWith(prefix + "-")) {
                    keys.add(t.group(1));
                }
            }
        }
        return keys;
    }

    private static long transitions(List<String> messages, String start, String finish) {
        synchronized (messages) {
            return messages.stream().map(KEY_AND_TRANSITION::matcher).filter(Matcher::find)
                    .filter(t -> t.group(2).equals(start) && t.group(3).equals(finish)).count();
        }
    }

    private static String graph(String prefix, int tasks) {
        StringBuilder g = new StringBuilder("{\"tasks\": {");
        for (int i = 0; i < tasks; i++) {
            g.append(i == 0 ? "" : ", ").append('"').append(prefix).append('-').append(i)
                    .append("\": {\"fn\": \"inc\", \"args\": [").append(i).append("]}");
        }
        return g.append("}}").toString();
    }

    /** Writes the file whole and at once, as an editor saving it would. */
    private static void write(Path cfg, String... lines) throws Exception {
        Path staging = Files.createTempFile(cfg.getParent().getParent(), "cfg-", ".tmp");
        Files.writeString(staging, String.join("\n", lines) + "\n");
        Files.move(staging, cfg, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
