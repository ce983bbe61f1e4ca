package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The RabbitMQ plugin as shipped, against the real broker on 127.0.0.1:5672: enabled in
 * {@code etc/}, it publishes a graph's transitions, and replacing its jar in {@code plugins/} while
 * the graph runs (a bundle update) loses none of them and doubles only marked republishes.
 */
class RabbitMqPluginIT {

    private static final Pattern FIELDS = Pattern.compile(
            "\"key\":\"([^\"]*)\",\"start\":\"([^\"]*)\",\"finish\":\"([^\"]*)\".*\"scheduler\":\"([^\"]*)\",\"seq\":(\\d+)}");
    private static final int TASKS = 3_000;

    @TempDir
    Path dir;

    record Message(String key, String start, String finish, String scheduler, long seq, String raw,
            AMQP.BasicProperties props) {
    }

    @Test
    void publishesAGraphAndAnUpdateUnderLoadLosesNothing() throws Exception {
        WeftInstall weft = WeftInstall.unpack(dir);
        String queue = "weft-it-" + UUID.randomUUID();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection("weft-it-consumer")) {
            Channel channel = connection.createChannel();
            channel.queueDeclare(queue, true, false, false, null);
            List<Message> received = Collections.synchronizedList(new ArrayList<>());
            channel.basicConsume(queue, true, (tag, d) -> {
                String raw = new String(d.getBody(), StandardCharsets.UTF_8);
                Matcher m = FIELDS.matcher(raw);
                assertTrue(m.find(), raw);
                received.add(new Message(m.group(1), m.group(2), m.group(3), m.group(4), Long.parseLong(m.group(5)), raw,
                        d.getProperties()));
            }, tag -> { });
            try {
                run(weft, queue, received);
            } finally {
                channel.queueDelete(queue);
            }
        }
    }

    private void run(WeftInstall weft, String queue, List<Message> received) throws Exception {
        Files.writeString(weft.home().resolve("etc/org.weft.plugins.rabbitmq.cfg"), String.join("\n",
                "enabled = true", "uri = amqp://127.0.0.1:5672", "queue = " + queue, "routingKey = " + queue, ""));
        StringBuilder graph = new StringBuilder("{\"tasks\": {");
        for (int i = 0; i < TASKS; i++) {
            graph.append(i == 0 ? "" : ", ").append("\"s").append(i).append("\": {\"fn\": \"sleep\", \"args\": [1]}");
        }
        Files.writeString(weft.workDir().resolve("graph.json"), graph.append("}}").toString());
        Path jar;
        try (Stream<Path> jars = Files.list(weft.home().resolve("plugins"))) {
            jar = jars.filter(p -> p.getFileName().toString().startsWith("weft-plugins-rabbitmq-")).findFirst().orElseThrow();
        }
        Path log = weft.home().resolve("data/log/weft.log");
        try (WeftInstall.Running w = weft.start("local", "--workers", "2")) {
            w.awaitStdout("the console", out -> out.contains("ready in"));
            w.send("weft:submit graph.json");
            WeftInstall.awaitTrue("transitions published while the graph runs", () -> received.size() > 300);
            // a different build of the plugin, as a user would drop in: FileInstall updates the bundle
            Path next = weft.workDir().resolve("rabbitmq-rev2.jar");
            rebuild(jar, next);
            Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING);
            w.send("echo submit-done");
            w.awaitStdout("the graph's end", out -> out.contains("submit-done"));
            WeftInstall.awaitTrue("the update handed over", () -> WeftInstall.read(log).contains(
                    "scheduler plugin 'rabbitmq' from org.weft.plugins.rabbitmq") && WeftInstall.read(log)
                    .contains("holding its events"));
            WeftInstall.awaitTrue("every key's transitions up to memory", () -> complete(received));
            // the new revision reconnects and publishes what it was handed; ask until its status says so
            WeftInstall.awaitTrue("the new revision connected", () -> count(WeftInstall.read(log),
                    "RabbitMQ publisher connected") >= 2);
            int[] polls = {0};
            try {
                WeftInstall.awaitTrue("the status line: all published and confirmed", () -> {
                    if (polls[0]++ % 20 == 0) {
                        w.send("weft:plugins");
                    }
                    return Pattern.compile("rabbitmq: connected amqp://127\\.0\\.0\\.1:5672 .*: published \\d+, "
                            + "confirmed \\d+, unconfirmed 0, republished \\d+, buffered 0 memory / 0 disk, dropped 0")
                            .matcher(w.stdout()).find();
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(w.describe() + "\nweft.log:\n" + WeftInstall.read(log), e);
            }
            // every transition either revision numbered reaches the consumer
            w.send("rabbitmq:status");
            w.awaitStdout("rabbitmq:status", out -> out.contains("last seq:"));
            Matcher lastSeq = Pattern.compile("last seq:\\s+(\\d+)").matcher(w.stdout());
            assertTrue(lastSeq.find());
            long expected = Long.parseLong(lastSeq.group(1));
            assertTrue(expected > 3 * TASKS, "last seq " + expected);
            WeftInstall.awaitTrue("the consumer has every transition", () -> {
                synchronized (received) {
                    return received.stream().mapToLong(Message::seq).distinct().count() == expected;
                }
            });
        }
        TreeMap<Long, Message> bySeq = new TreeMap<>();
        synchronized (received) {
            for (Message m : received) {
                Message earlier = bySeq.putIfAbsent(m.seq(), m);
                if (earlier != null) {
                    assertEquals(earlier.raw(), m.raw(), "a republish is the same message");
                    assertEquals(Boolean.TRUE, m.props().getHeaders().get("weft-republished"), "and says so");
                }
            }
        }
        assertEquals(1, bySeq.firstKey());
        assertEquals(bySeq.size(), bySeq.lastKey(), "no gap in the sequence across the update");
        assertTrue(complete(received), "every task's transitions");
        assertEquals(1, bySeq.values().stream().map(Message::scheduler).distinct().count(), "one scheduler id");
        assertEquals(bySeq.firstEntry().getValue().scheduler() + "-1", bySeq.firstEntry().getValue().props().getMessageId());
    }

    /** Whether every task's transitions, in sequence order, form one unbroken chain from released to memory. */
    private static boolean complete(List<Message> received) {
        Map<String, TreeMap<Long, Message>> byKey = new TreeMap<>();
        synchronized (received) {
            for (Message m : received) {
                byKey.computeIfAbsent(m.key(), k -> new TreeMap<>()).put(m.seq(), m);
            }
        }
        if (byKey.size() < TASKS) {
            return false;
        }
        for (TreeMap<Long, Message> chain : byKey.values()) {
            String state = "released";
            for (Message m : chain.values()) {
                if (!m.start().equals(state)) {
                    return false;
                }
                state = m.finish();
            }
            if (!state.equals("memory") && !state.equals("forgotten")) {
                return false;
            }
        }
        return true;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** {@code jar} with one more entry: the same plugin, another file. */
    private static void rebuild(Path jar, Path next) throws Exception {
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(next);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (ZipEntry e : Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream data = in.getInputStream(e)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("META-INF/weft-it-revision"));
            out.write("2\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
