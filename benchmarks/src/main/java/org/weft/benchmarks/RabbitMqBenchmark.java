package org.weft.benchmarks;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugins.rabbitmq.TransitionPublisher;
import org.weft.scheduler.core.cluster.LocalCluster;
import org.weft.pluginhost.PluginOrigin;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The RabbitMQ plugin publishing every transition of the noop workload to a real broker, against
 * the same workload without it and against a bare amqp-client publisher, all in one run.
 */
@Command(name = "rabbitmq", mixinStandardHelpOptions = true,
        description = "The noop workload with the RabbitMQ plugin publishing every transition (confirms on) to the broker "
                + "at --uri, paired with runs without it; and a bare amqp-client publisher of as many messages. Prints "
                + "published_per_s, scheduler_ratio_with_rabbitmq, scheduler_ratio_broker_down (the broker unreachable), "
                + "end-to-end lag and bare_client_published_per_s.")
final class RabbitMqBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--tasks", defaultValue = "100000", description = "no-op tasks per run (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--rounds", defaultValue = "2", description = "rounds of (without, with) the plugin (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--uri", defaultValue = "amqp://127.0.0.1:5672", description = "the broker (default ${DEFAULT-VALUE})")
    String uri;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Bench.header(out, "rabbitmq", cluster, "tasks " + tasks + " per run, " + rounds
                + " rounds of (without, with the plugin publishing every transition), median; broker " + uri);
        List<Double> ratios = new ArrayList<>();
        List<Double> downRatios = new ArrayList<>();
        List<Double> publishRates = new ArrayList<>();
        List<Long> lags = new ArrayList<>();
        long messages = 0;
        Path buffer = Files.createTempDirectory("weft-bench-rabbitmq");
        try (LocalCluster c = Bench.startCluster(cluster); Client client = c.client()) {
            Bench.warmUp(c, client, cluster.warmup);
            Graph graph = Bench.noopGraph(tasks);
            for (int round = 0; round <= rounds; round++) { // round 0: warm-up, not counted
                Bench.Timing withoutRun = timed(c, client, graph, out, round, "without the plugin");
                double without = withoutRun.seconds();
                Consumer consumer = new Consumer(uri);
                try (TransitionPublisher publisher = TransitionPublisher.open(Map.of("enabled", "true", "uri", uri,
                        "queue", consumer.queue, "routingKey", consumer.queue, "buffer.memoryMessages", "2000000"), buffer)) {
                    c.scheduler().addPlugin(publisher.plugin(), PluginOptions.named("rabbitmq"), PluginOrigin.CODE).get(10, TimeUnit.SECONDS);
                    long t0 = System.nanoTime();
                    double with = timed(c, client, graph, out, round, "with the plugin publishing").seconds();
                    c.scheduler().removePlugin("rabbitmq").get(60, TimeUnit.SECONDS);
                    long n = publisher.offered(); // the plugin was closed: no more to come
                    while (publisher.taken() < n || publisher.confirmed() < n) {
                        Bench.sleep(5);
                    }
                    double publishSeconds = (System.nanoTime() - t0) / 1e9;
                    consumer.await(n);
                    if (round > 0) {
                        ratios.add(without / with);
                        publishRates.add(n / publishSeconds);
                        lags.addAll(consumer.lags.values().stream().flatMap(List::stream).toList());
                        messages = n;
                    }
                    Bench.comment(out, String.format(Locale.ROOT,
                            "round %d: without %.0f tasks/s, with %.0f tasks/s; %d messages confirmed in %.2f s (%.0f/s)",
                            round, tasks / without, tasks / with, n, publishSeconds, n / publishSeconds));
                } finally {
                    consumer.close();
                }
                double down = runWithBrokerDown(c, client, graph, out, round);
                if (round > 0) {
                    downRatios.add(without / down);
                }
            }
        }
        double bare = barePublisher(uri, (int) messages);
        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        Bench.figure(out, "published_per_s", Bench.median(publishRates));
        Bench.fraction(out, "scheduler_ratio_with_rabbitmq", Bench.median(ratios));
        Bench.fraction(out, "scheduler_ratio_broker_down", Bench.median(downRatios));
        Bench.figure(out, "lag_ms_median", sorted.length == 0 ? -1 : sorted[sorted.length / 2]);
        Bench.figure(out, "lag_ms_p99", sorted.length == 0 ? -1 : sorted[(int) (sorted.length * 0.99)]);
        Bench.figure(out, "bare_client_published_per_s", bare);
        Bench.fraction(out, "plugin_over_bare_client", Bench.median(publishRates) / bare);
        return 0;
    }

    /**
     * One timed run, with a comment of where the CPU went: this JVM per thread group (the
     * scheduler's loop, the workers, the plugin's taker and publisher, the consumer's client), and
     * the broker's processes, in microseconds per task.
     */
    private Bench.Timing timed(LocalCluster c, Client client, Graph graph, PrintWriter out, int round, String what) {
        double broker0 = BrokerCpu.seconds();
        Bench.Timing t = Bench.timeRunWithCpu(c, client, graph, cluster.timeoutSeconds);
        double broker1 = BrokerCpu.seconds();
        Bench.comment(out, String.format(Locale.ROOT, "round %d, %s: %.0f tasks/s; CPU us per task: this JVM %.1f (%s); broker %s",
                round, what, tasks / t.seconds(), t.cpuSeconds() * 1e6 / tasks, ThreadCpu.describe(t.threads(), tasks),
                broker0 < 0 || broker1 < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", (broker1 - broker0) * 1e6 / tasks)));
        return t;
    }

    /**
     * The same graph with the plugin publishing to a broker that is down (a loopback port nobody
     * listens on: every connect refused), with the plugin's default buffer (100 000 messages in
     * memory, then files): the scheduler's time, as it runs while the broker is unreachable.
     */
    private double runWithBrokerDown(LocalCluster c, Client client, Graph graph, PrintWriter out, int round) throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path buffer = Files.createTempDirectory("weft-bench-rabbitmq-down");
        try (TransitionPublisher publisher = TransitionPublisher.open(Map.of("enabled", "true",
                "uri", "amqp://127.0.0.1:" + closedPort, "closeTimeoutMillis", "0"), buffer)) {
            c.scheduler().addPlugin(publisher.plugin(), PluginOptions.named("rabbitmq"), PluginOrigin.CODE).get(10, TimeUnit.SECONDS);
            double down = timed(c, client, graph, out, round, "with the broker down").seconds();
            c.scheduler().removePlugin("rabbitmq").get(60, TimeUnit.SECONDS);
            String buffered = publisher.statusText().lines().filter(l -> l.startsWith("buffered:")).findFirst().orElse("");
            Bench.comment(out, String.format(Locale.ROOT, "round %d: broker down: %.0f tasks/s; %s", round, tasks / down,
                    buffered.replaceAll("\\s+", " ")));
            return down;
        } finally {
            try (java.util.stream.Stream<Path> files = Files.walk(buffer)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One channel, persistent messages of the plugin's size, confirms with a window of 1 000. */
    private static double barePublisher(String uri, int n) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(uri);
        String queue = "weft-bench-bare-" + UUID.randomUUID();
        try (Connection connection = f.newConnection("weft-bench-bare")) {
            Channel ch = connection.createChannel();
            ch.queueDeclare(queue, true, false, false, null);
            ch.confirmSelect();
            ConcurrentSkipListMap<Long, Boolean> outstanding = new ConcurrentSkipListMap<>();
            Semaphore window = new Semaphore(1000);
            ch.addConfirmListener((tag, multiple) -> {
                int done = 0;
                if (multiple) {
                    var head = outstanding.headMap(tag, true);
                    done = head.size();
                    head.clear();
                } else if (outstanding.remove(tag) != null) {
                    done = 1;
                }
                window.release(done);
            }, (tag, multiple) -> { });
            byte[] body = ("{\"key\":\"noop-12345\",\"start\":\"processing\",\"finish\":\"memory\",\"stimulus_id\":"
                    + "\"task-finished-123456\",\"worker\":\"local-1\",\"time\":1796530000.123,\"scheduler\":"
                    + "\"weft-1a2b3c4d\",\"seq\":123456}").getBytes(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                window.acquire();
                outstanding.put(ch.getNextPublishSeqNo(), Boolean.TRUE);
                ch.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC.builder().contentType("application/json")
                        .messageId("weft-1a2b3c4d-" + i).build(), body);
            }
            window.acquire(1000); // every confirm is in
            double seconds = (System.nanoTime() - t0) / 1e9;
            ch.queueDelete(queue);
            return n / seconds;
        }
    }

    /** Receives on a fresh queue, noting each message's lag (receipt minus its {@code time}, ms). */
    private static final class Consumer implements AutoCloseable {
        final String queue = "weft-bench-" + UUID.randomUUID();
        final Map<Integer, List<Long>> lags = new java.util.concurrent.ConcurrentHashMap<>();
        private final AtomicInteger received = new AtomicInteger();
        private final Connection connection;
        private final Channel channel;

        Consumer(String uri) throws Exception {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(uri);
            connection = f.newConnection("weft-bench-consumer");
            channel = connection.createChannel();
            channel.queueDeclare(queue, true, false, false, null);
            List<Long> mine = new ArrayList<>();
            lags.put(0, mine);
            channel.basicConsume(queue, true, (tag, d) -> {
                String body = new String(d.getBody(), StandardCharsets.UTF_8);
                int at = body.indexOf("\"time\":") + 7;
                double time = Double.parseDouble(body.substring(at, body.indexOf(',', at)));
                mine.add(System.currentTimeMillis() - Math.round(time * 1000));
                received.incrementAndGet();
            }, tag -> { });
        }

        void await(long n) {
            while (received.get() < n) {
                Bench.sleep(5);
            }
        }

        @Override
        public void close() throws Exception {
            channel.queueDelete(queue);
            connection.close();
        }
    }
}
