package org.weft.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.client.Progress;
import org.weft.client.WeftFuture;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugins.rabbitmq.TransitionPublisher;
import org.weft.pluginhost.PluginOrigin;
import org.weft.local.LocalCluster;

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
 * the same workload without it, and with the broker down, all in one JVM; then a bare amqp-client
 * publisher of as many messages. Untimed warm-up rounds run every mode first (the plugin's paths
 * get compiled too); each timed round runs the three modes in another order (all six orders
 * in turn), so no mode always meets a warmer JIT or a quieter machine; figures are medians over
 * the rounds. A run is timed two ways: until the graph is done (the scheduler's figure), and until
 * the run's last transition has been released and taken by the plugin's thread, numbered and
 * buffered (kept in memory or written to the spill file): the plugin's leftover work counted.
 */
@Command(name = "rabbitmq", mixinStandardHelpOptions = true,
        description = "The noop workload without the RabbitMQ plugin, with it publishing every transition (confirms on) "
                + "to the broker at --uri, and with it while the broker is down, in alternated orders; then a bare "
                + "amqp-client publisher of as many messages. Prints published_per_s, scheduler_ratio_with_rabbitmq, "
                + "scheduler_ratio_broker_down (both also _caught_up), CPU per task of the loop and the plugin's threads, "
                + "end-to-end lag and bare_client_published_per_s.")
final class RabbitMqBenchmark implements Callable<Integer> {

    /** What a run does with the plugin. */
    enum Mode {
        WITHOUT("without the plugin", "without"),
        UP("with the plugin publishing", "with_rabbitmq"),
        DOWN("with the broker down", "broker_down");

        final String words;
        final String suffix;

        Mode(String words, String suffix) {
            this.words = words;
            this.suffix = suffix;
        }
    }

    /** The six orders of the three modes; round r runs ORDERS[r % 6]. */
    private static final Mode[][] ORDERS = {
        {Mode.WITHOUT, Mode.UP, Mode.DOWN}, {Mode.DOWN, Mode.WITHOUT, Mode.UP}, {Mode.UP, Mode.DOWN, Mode.WITHOUT},
        {Mode.DOWN, Mode.UP, Mode.WITHOUT}, {Mode.WITHOUT, Mode.DOWN, Mode.UP}, {Mode.UP, Mode.WITHOUT, Mode.DOWN},
    };

    /** Thread groups (names with numbers as N, see {@link ThreadCpu}) whose CPU per task is printed. */
    static final String LOOP = "weft-scheduler";
    static final String EXECUTORS = "weft-exec-worker-N-N";
    static final String TAKER = "weft-rabbitmq-taker";
    static final String PUBLISHER = "weft-rabbitmq-publisher";

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--tasks", defaultValue = "100000", description = "no-op tasks per graph (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--graphs", defaultValue = "1",
            description = "graphs of --tasks per timed run, streamed (default ${DEFAULT-VALUE}); more for longer runs")
    int graphs;

    @Option(names = "--rounds", defaultValue = "6",
            description = "timed rounds, each running the modes in the next of the six orders (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "1",
            description = "untimed rounds of every mode after --warmup (default ${DEFAULT-VALUE})")
    int warmupRounds;

    @Option(names = "--modes", defaultValue = "without,up,down", split = ",",
            description = "the modes to run: without, up (broker up), down (broker down) (default ${DEFAULT-VALUE})")
    List<String> modeNames;

    @Option(names = "--uri", defaultValue = "amqp://127.0.0.1:5672", description = "the broker (default ${DEFAULT-VALUE})")
    String uri;

    /** One timed run. */
    record Run(Mode mode, double seconds, double caughtUpSeconds, double cpuSeconds, Map<String, ThreadCpu.Use> threads,
            long messages, double publishSeconds, double brokerCpuSeconds) {
        double groupMicrosPerTask(String group, int runTasks) {
            ThreadCpu.Use u = threads.get(group);
            return u == null ? 0 : u.cpuNanos() / 1e3 / runTasks;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Mode> modes = modeNames.stream().map(n -> switch (n.strip()) {
            case "without" -> Mode.WITHOUT;
            case "up" -> Mode.UP;
            case "down" -> Mode.DOWN;
            default -> throw new IllegalArgumentException("--modes: unknown mode " + n);
        }).toList();
        int runTasks = tasks * graphs;
        Bench.header(out, "rabbitmq", cluster, "tasks " + tasks + " × " + graphs + " graph(s) per run, " + warmupRounds
                + " untimed round(s) then " + rounds + " timed rounds of " + modes + " in alternated orders, medians; broker " + uri);
        Map<Mode, List<Run>> runs = new EnumMap<>(Mode.class);
        List<Long> lags = new ArrayList<>();
        long messages = 0;
        try (LocalCluster c = Bench.startCluster(cluster); Client client = c.client()) {
            Bench.warmUp(c, client, cluster.warmup);
            List<Graph> runGraphs = new ArrayList<>();
            for (int g = 0; g < graphs; g++) {
                runGraphs.add(Bench.noopGraph(tasks, "noop-" + g + "-"));
            }
            for (int round = -warmupRounds; round < rounds; round++) {
                boolean timed = round >= 0;
                for (Mode mode : ORDERS[Math.floorMod(round, ORDERS.length)]) {
                    if (!modes.contains(mode)) {
                        continue;
                    }
                    Run r = switch (mode) {
                        case WITHOUT -> timedRun(c, client, runGraphs, null, Mode.WITHOUT);
                        case UP -> runWithBrokerUp(c, client, runGraphs, timed, lags);
                        case DOWN -> runWithBrokerDown(c, client, runGraphs);
                    };
                    comment(out, round, r, runTasks);
                    if (timed) {
                        runs.computeIfAbsent(mode, m -> new ArrayList<>()).add(r);
                        if (mode == Mode.UP) {
                            messages = r.messages();
                        }
                    }
                }
                Bench.comment(out, String.format(Locale.ROOT, "round %d done, load average %.2f", round,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            }
        }
        printFigures(out, runs, runTasks);
        if (runs.containsKey(Mode.UP)) {
            double published = Bench.median(runs.get(Mode.UP).stream().map(r -> r.messages() / r.publishSeconds()).toList());
            long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
            double bare = barePublisher(uri, (int) messages);
            Bench.figure(out, "published_per_s", published);
            Bench.figure(out, "lag_ms_median", sorted.length == 0 ? -1 : sorted[sorted.length / 2]);
            Bench.figure(out, "lag_ms_p99", sorted.length == 0 ? -1 : sorted[(int) (sorted.length * 0.99)]);
            Bench.figure(out, "bare_client_published_per_s", bare);
            Bench.fraction(out, "plugin_over_bare_client", published / bare);
        }
        Bench.comment(out, String.format(Locale.ROOT, "load average at the end %.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return 0;
    }

    private void printFigures(PrintWriter out, Map<Mode, List<Run>> runs, int runTasks) {
        for (Mode mode : Mode.values()) {
            List<Run> rs = runs.getOrDefault(mode, List.of());
            if (rs.isEmpty()) {
                continue;
            }
            Bench.figure(out, "tasks_per_s_" + mode.suffix, Bench.median(rs.stream().map(r -> runTasks / r.seconds()).toList()));
            Bench.fraction(out, "cpu_us_per_task_" + mode.suffix, Bench.median(rs.stream().map(r -> r.cpuSeconds() * 1e6 / runTasks).toList()));
            Bench.fraction(out, "loop_cpu_us_per_task_" + mode.suffix,
                    Bench.median(rs.stream().map(r -> r.groupMicrosPerTask(LOOP, runTasks)).toList()));
            Bench.fraction(out, "executors_cpu_us_per_task_" + mode.suffix,
                    Bench.median(rs.stream().map(r -> r.groupMicrosPerTask(EXECUTORS, runTasks)).toList()));
            if (mode != Mode.WITHOUT) {
                Bench.fraction(out, "taker_cpu_us_per_task_" + mode.suffix,
                        Bench.median(rs.stream().map(r -> r.groupMicrosPerTask(TAKER, runTasks)).toList()));
                Bench.figure(out, "taker_cpu_ns_per_message_" + mode.suffix, Bench.median(rs.stream()
                        .map(r -> r.messages() == 0 ? 0 : r.groupMicrosPerTask(TAKER, runTasks) * 1e3 * runTasks / r.messages()).toList()));
                Bench.fraction(out, "publisher_cpu_us_per_task_" + mode.suffix,
                        Bench.median(rs.stream().map(r -> r.groupMicrosPerTask(PUBLISHER, runTasks)).toList()));
            }
        }
        List<Run> without = runs.getOrDefault(Mode.WITHOUT, List.of());
        for (Mode mode : List.of(Mode.UP, Mode.DOWN)) {
            List<Run> with = runs.getOrDefault(mode, List.of());
            int n = Math.min(without.size(), with.size());
            if (n == 0) {
                continue;
            }
            List<Double> ratios = new ArrayList<>();
            List<Double> caughtUp = new ArrayList<>();
            for (int i = 0; i < n; i++) { // the same round's runs
                ratios.add(without.get(i).seconds() / with.get(i).seconds());
                caughtUp.add(without.get(i).caughtUpSeconds() / with.get(i).caughtUpSeconds());
            }
            String name = mode == Mode.UP ? "scheduler_ratio_with_rabbitmq" : "scheduler_ratio_broker_down";
            Bench.fraction(out, name, Bench.median(ratios));
            Bench.fraction(out, name + "_caught_up", Bench.median(caughtUp));
            Bench.comment(out, name + " per round: " + fractions(ratios) + "; caught up: " + fractions(caughtUp));
        }
    }

    private static String fractions(List<Double> values) {
        return String.join(" ", values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
    }

    private static void comment(PrintWriter out, int round, Run r, int runTasks) {
        Bench.comment(out, String.format(Locale.ROOT,
                "round %d%s, %s: %.0f tasks/s (%.3f s; caught up %.3f s)%s; CPU us per task: this JVM %.2f (%s); broker %s",
                round, round < 0 ? " (warm-up)" : "", r.mode().words, runTasks / r.seconds(), r.seconds(), r.caughtUpSeconds(),
                r.messages() == 0 ? "" : String.format(Locale.ROOT, "; %d messages%s", r.messages(), r.publishSeconds() > 0
                        ? String.format(Locale.ROOT, " confirmed in %.2f s (%.0f/s)", r.publishSeconds(), r.messages() / r.publishSeconds()) : ""),
                r.cpuSeconds() * 1e6 / runTasks, ThreadCpu.describe(r.threads(), runTasks),
                r.brokerCpuSeconds() < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", r.brokerCpuSeconds() * 1e6 / runTasks)));
    }

    /**
     * The graphs streamed (each submitted once the one before is in memory, then released), timed
     * until the last is in memory ({@link Run#seconds}); then until the cluster holds no task and
     * the plugin's thread has taken every transition the scheduler handed it
     * ({@link Run#caughtUpSeconds}). The CPU figures cover the latter span.
     */
    private Run timedRun(LocalCluster c, Client client, List<Graph> runGraphs, TransitionPublisher publisher, Mode mode) {
        System.gc(); // outside the clock
        double broker0 = BrokerCpu.seconds();
        ThreadCpu threads = ThreadCpu.start();
        long cpu0 = Bench.processCpuNanos();
        long t0 = System.nanoTime();
        List<WeftFuture> done = new ArrayList<>();
        for (Graph graph : runGraphs) {
            Map<String, WeftFuture> futures = client.compute(graph);
            Progress progress = client.progress(futures.values(), (d, erred, total) -> { });
            if (!progress.await(cluster.timeoutSeconds, TimeUnit.SECONDS) || progress.erred() > 0) {
                throw new Bench.RunFailed("run " + mode.words + " did not finish: " + progress);
            }
            if (!done.isEmpty()) {
                client.release(done);
                done.clear();
            }
            done.addAll(futures.values());
        }
        long t1 = System.nanoTime();
        client.release(done);
        Bench.awaitEmpty(c, 120);
        if (publisher != null) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(cluster.timeoutSeconds);
            while (!publisher.caughtUp()) {
                if (System.nanoTime() > deadline) {
                    throw new Bench.RunFailed("the plugin did not take every transition: " + publisher.statusText());
                }
                LockSupport.parkNanos(100_000);
            }
        }
        long t2 = System.nanoTime();
        long cpu1 = Bench.processCpuNanos();
        Map<String, ThreadCpu.Use> perThread = threads.stop();
        double broker1 = BrokerCpu.seconds();
        return new Run(mode, (t1 - t0) / 1e9, (t2 - t0) / 1e9, (cpu1 - cpu0) / 1e9, perThread,
                publisher == null ? 0 : publisher.offered(), 0, broker0 < 0 || broker1 < 0 ? -1 : broker1 - broker0);
    }

    /**
     * The plugin publishing to a fresh durable queue that a consumer reads meanwhile; after the
     * timed part, waits until every message is confirmed ({@link Run#publishSeconds}: from the first
     * submission to the last confirm) and received. An untimed run stops without waiting.
     */
    private Run runWithBrokerUp(LocalCluster c, Client client, List<Graph> runGraphs, boolean timed, List<Long> lags)
            throws Exception {
        Path buffer = Files.createTempDirectory("weft-bench-rabbitmq");
        Consumer consumer = new Consumer(uri);
        try (TransitionPublisher publisher = TransitionPublisher.open(Map.of("enabled", "true", "uri", uri,
                "queue", consumer.queue, "routingKey", consumer.queue, "buffer.memoryMessages", "2000000",
                "closeTimeoutMillis", timed ? "60000" : "0"), buffer)) {
            c.scheduler().addPlugin(publisher.plugin(), PluginOptions.named("rabbitmq"), PluginOrigin.CODE).get(10, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            Run r = timedRun(c, client, runGraphs, publisher, Mode.UP);
            c.scheduler().removePlugin("rabbitmq").get(60, TimeUnit.SECONDS);
            if (!timed) {
                return r;
            }
            long n = publisher.offered(); // the plugin was closed: no more to come
            while (publisher.confirmed() < n) {
                Bench.sleep(5);
            }
            double publishSeconds = (System.nanoTime() - t0) / 1e9;
            consumer.await(n);
            lags.addAll(consumer.lags);
            return new Run(r.mode(), r.seconds(), r.caughtUpSeconds(), r.cpuSeconds(), r.threads(), n, publishSeconds,
                    r.brokerCpuSeconds());
        } finally {
            consumer.close();
            delete(buffer);
        }
    }

    /**
     * The plugin publishing to a broker that is down (a loopback port nobody listens on: every
     * connect refused), with the plugin's default buffer (100 000 messages in memory, then files).
     */
    private Run runWithBrokerDown(LocalCluster c, Client client, List<Graph> runGraphs) throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path buffer = Files.createTempDirectory("weft-bench-rabbitmq-down");
        try (TransitionPublisher publisher = TransitionPublisher.open(Map.of("enabled", "true",
                "uri", "amqp://127.0.0.1:" + closedPort, "closeTimeoutMillis", "0"), buffer)) {
            c.scheduler().addPlugin(publisher.plugin(), PluginOptions.named("rabbitmq"), PluginOrigin.CODE).get(10, TimeUnit.SECONDS);
            Run r = timedRun(c, client, runGraphs, publisher, Mode.DOWN);
            c.scheduler().removePlugin("rabbitmq").get(60, TimeUnit.SECONDS);
            return r;
        } finally {
            delete(buffer);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
        final List<Long> lags = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger received = new AtomicInteger();
        private final Connection connection;
        private final Channel channel;

        Consumer(String uri) throws Exception {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(uri);
            connection = f.newConnection("weft-bench-consumer");
            channel = connection.createChannel();
            channel.queueDeclare(queue, true, false, false, null);
            channel.basicConsume(queue, true, (tag, d) -> {
                String body = new String(d.getBody(), StandardCharsets.UTF_8);
                int at = body.indexOf("\"time\":") + 7;
                double time = Double.parseDouble(body.substring(at, body.indexOf(',', at)));
                lags.add(System.currentTimeMillis() - Math.round(time * 1000));
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
