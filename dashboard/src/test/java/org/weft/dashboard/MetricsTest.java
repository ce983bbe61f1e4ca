package org.weft.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.WeftFuture;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.scheduler.core.osgi.ClusterSnapshotService;

/**
 * {@code /metrics} of a real local cluster while a graph runs, read back with a strict parser of
 * the text format and compared with what {@code weft:status} reads from the scheduler.
 */
class MetricsTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private LocalCluster cluster;
    private Client client;
    private MetricsServlet metrics;

    @BeforeEach
    void start() {
        TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
        functions.register("hold", (args, context) -> {
            release.await(30, TimeUnit.SECONDS);
            return args.get(0);
        });
        cluster = LocalCluster.start(LocalClusterConfig.of(2).withThreads(2), functions);
        client = cluster.client();
        SnapshotCache cache = new SnapshotCache(new ClusterSnapshotService(cluster.service()), 0);
        metrics = new MetricsServlet(new WeftMetrics(cache::fresh, () -> 3));
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        cluster.close();
    }

    private PrometheusText scrape() throws Exception {
        return PrometheusText.parse(new String(metrics.scrape(), StandardCharsets.UTF_8));
    }

    @Test
    void theMetricsAgreeWithTheSchedulerDuringAndAfterARun() throws Exception {
        WeftFuture first = client.submit("inc", 1);
        assertEquals(2, ((Number) first.get()).intValue());
        List<WeftFuture> held = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            held.add(client.submit("hold", i));
        }
        // four threads: tasks hold them, the rest are queued (as many processing per worker as
        // worker saturation allows); the scheduler then stands still until they are released
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cluster.scheduler()
                .query(s -> s.countByState().getOrDefault(SchedulerTaskState.PROCESSING, 0)
                        + s.countByState().getOrDefault(SchedulerTaskState.QUEUED, 0)).get() == 10);
        Map<SchedulerTaskState, Integer> status = cluster.scheduler().query(s -> s.countByState()).get();
        long transitions = cluster.scheduler().query(s -> s.transitionCount()).get();

        PrometheusText during = scrape();
        assertEquals(2, during.all("weft_scheduler_workers").stream().mapToDouble(PrometheusText.Sample::value).sum());
        assertEquals(1, during.value("weft_scheduler_clients"));
        for (SchedulerTaskState state : SchedulerTaskState.values()) {
            if (state != SchedulerTaskState.FORGOTTEN) {
                assertEquals(status.getOrDefault(state, 0), (int) during.value("weft_scheduler_tasks", "state", state.label()),
                        state.label());
            }
        }
        assertEquals(10, (int) during.value("weft_scheduler_prefix_tasks", "task_prefix_name", "hold", "state", "processing")
                + (int) during.all("weft_scheduler_prefix_tasks").stream()
                        .filter(s -> "hold".equals(s.labels().get("task_prefix_name")) && !"processing".equals(s.labels().get("state")))
                        .mapToDouble(PrometheusText.Sample::value).sum());
        assertEquals(transitions, (long) during.value("weft_scheduler_transitions_total"));
        assertEquals(status.get(SchedulerTaskState.PROCESSING), (int) during.all("weft_scheduler_worker_tasks").stream()
                .filter(s -> "processing".equals(s.labels().get("state"))).mapToDouble(PrometheusText.Sample::value).sum());
        during.all("weft_worker_threads").forEach(s -> assertEquals(2, s.value(), s.toString()));
        assertEquals("counter", during.types.get("weft_plugin_calls_total"));
        assertTrue(during.value("weft_plugin_calls_total", "plugin", "stealing") > 0, "work stealing saw the graph");
        assertTrue(during.value("weft_scheduler_loop_busy_seconds_total") > 0);
        double busy = during.value("weft_scheduler_loop_busy_fraction");
        assertTrue(busy >= 0 && busy <= 1, "a fraction: " + busy);
        assertTrue(during.all("jvm_memory_used_bytes").size() > 0, "JVM metrics are there");
        assertEquals(3, during.value("weft_dashboard_pages_open"));

        release.countDown();
        for (WeftFuture f : held) {
            f.get();
        }
        PrometheusText after = scrape();
        assertEquals(11, (int) after.value("weft_scheduler_tasks", "state", "memory"));
        assertEquals(0, (int) after.value("weft_scheduler_tasks", "state", "processing"));
        assertEquals(cluster.scheduler().query(s -> s.transitionCount()).get(),
                (long) after.value("weft_scheduler_transitions_total"));
    }

    @Test
    void theStrictReaderRefusesWhatPrometheusWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("a 1"), "no final line feed");
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("1a 1\n"), "bad name");
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("a{b=\"x\\t\"} 1\n"), "bad escape");
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("a 1\na 2\n"), "a series twice");
        assertThrows(IllegalArgumentException.class,
                () -> PrometheusText.parse("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"1\"} 2\n"), "not contiguous");
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("a one\n"), "bad value");
        assertEquals(2.0, PrometheusText.parse("# HELP a x\n# TYPE a gauge\na{b=\"q\\\"\"} 2\n").value("a", "b", "q\""));
    }
}
