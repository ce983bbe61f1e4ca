package org.weft.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;
import org.weft.comm.netty.TransportConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.scheduler.core.osgi.ClusterSnapshotService;
import org.weft.scheduler.core.remote.SchedulerServer;
import org.weft.scheduler.core.state.WorkerRecord;
import org.weft.worker.process.WorkerProcess;

/**
 * {@code /metrics} of a scheduler whose workers are worker processes' nodes over real TCP: each
 * worker's own figures (from its heartbeats) with its {@code worker} label, read back with the
 * strict parser and compared with what the scheduler knows of each worker (as {@code weft:workers}
 * shows it) while one task runs and the results it needs are held.
 */
class WorkerProcessMetricsTest {

    private LocalCluster cluster;
    private SchedulerServer server;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private Client client;
    private MetricsServlet metrics;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterConfig.of(0), TaskFunctionRegistry.withBuiltins());
        server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()));
        for (String name : new String[] {"w1", "w2"}) {
            workers.add(WorkerProcess.start(new WorkerProcess.Config(server.address(), name, 2, Map.of(), "127.0.0.1",
                    TransportConfig.defaults(), 20_000, 100, PluginHostConfig.DEFAULTS, false), TaskFunctionRegistry.withBuiltins()));
        }
        client = cluster.client();
        SnapshotCache cache = new SnapshotCache(new ClusterSnapshotService(cluster.service(), server), 0);
        metrics = new MetricsServlet(new WeftMetrics(cache::fresh, () -> 0));
    }

    @AfterEach
    void stop() {
        client.close();
        workers.forEach(WorkerProcess::close);
        server.close();
        cluster.close();
    }

    private PrometheusText scrape() throws Exception {
        return PrometheusText.parse(new String(metrics.scrape(), StandardCharsets.UTF_8));
    }

    @Test
    void eachWorkerProcessReportsItsOwnTasksBytesTransfersCpuAndMemory() throws Exception {
        String w1 = workers.get(0).address();
        String w2 = workers.get(1).address();
        List<Object> args = new ArrayList<>(List.of(60_000));
        for (int i = 0; i < 10; i++) {
            args.add(client.submit(TaskOptions.key("part-a-" + i).withWorkers(w1), "inc", i));
            args.add(client.submit(TaskOptions.key("part-b-" + i).withWorkers(w2), "inc", i));
        }
        for (Object part : args.subList(1, args.size())) {
            ((WeftFuture) part).get();
        }
        // w2 runs one long task that needs w1's ten results: it fetches them, then sleeps
        WeftFuture slow = client.submit(TaskOptions.key("slow").withWorkers(w2), "sleep", args.toArray());

        PrometheusText[] last = new PrometheusText[1];
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = scrape();
            return last[0].all("weft_worker_tasks").stream().anyMatch(s -> "w2".equals(s.labels().get("worker"))
                    && "executing".equals(s.labels().get("state")) && s.value() == 1)
                    && last[0].all("weft_worker_tasks").stream().anyMatch(s -> "w2".equals(s.labels().get("worker"))
                            && "memory".equals(s.labels().get("state")) && s.value() == 20);
        });
        // the scheduler's view once the worker's heartbeat has told the same
        Map<String, long[]> known = cluster.scheduler().query(s -> {
            Map<String, long[]> out = new java.util.HashMap<>();
            for (WorkerRecord w : s.workers().values()) {
                out.put(w.address(), new long[] {w.hasWhatCount(), w.nbytes(), w.processingCount()});
            }
            return out;
        }).get();
        PrometheusText m = scrape();
        // w1 holds what the scheduler knows it holds; w2 also holds the copies of w1's results it
        // fetched for its task, which the scheduler does not count as w2's
        assertEquals(known.get(w1)[0], (long) m.value("weft_worker_tasks", "worker", "w1", "state", "memory"));
        assertEquals(known.get(w1)[1], (long) m.value("weft_worker_memory_bytes", "worker", "w1", "type", "managed"));
        assertEquals(known.get(w2)[0] + known.get(w1)[0], (long) m.value("weft_worker_tasks", "worker", "w2", "state", "memory"));
        // a fetched copy weighs what it weighed on the wire, as much as the original weighs on w1
        assertEquals(known.get(w2)[1] + known.get(w1)[1], (long) m.value("weft_worker_memory_bytes", "worker", "w2", "type", "managed"));
        for (String[] w : new String[][] {{"w1", w1}, {"w2", w2}}) {
            assertEquals(known.get(w[1])[2], (long) m.value("weft_scheduler_worker_tasks", "worker", w[0], "state", "processing"));
            assertTrue(m.value("weft_worker_process_cpu_seconds_total", "worker", w[0]) > 0, w[0]);
            assertTrue(m.value("weft_worker_process_heap_used_bytes", "worker", w[0]) > 0, w[0]);
            assertTrue(m.value("weft_worker_heartbeat_age_seconds", "worker", w[0]) < 10, w[0]);
            if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/status"))) {
                double rss = m.value("weft_worker_process_resident_memory_bytes", "worker", w[0]);
                assertTrue(rss > 16 << 20, "a JVM's resident memory in bytes: " + rss);
                assertEquals(rss, m.value("weft_worker_memory_bytes", "worker", w[0], "type", "unmanaged")
                        + m.value("weft_worker_memory_bytes", "worker", w[0], "type", "managed"), 1.0);
            }
        }
        assertEquals(10, (long) m.value("weft_worker_tasks", "worker", "w1", "state", "memory"));
        assertEquals(1, (long) m.value("weft_worker_tasks", "worker", "w2", "state", "executing"));
        assertEquals("counter", m.types.get("weft_worker_transfer_incoming_count_total"));
        assertEquals(0, m.value("weft_worker_transfer_incoming_count_total", "worker", "w1"));
        double fetched = m.value("weft_worker_transfer_incoming_bytes_total", "worker", "w2");
        assertTrue(m.value("weft_worker_transfer_incoming_count_total", "worker", "w2") >= 1);
        assertTrue(fetched > 0, "w2 fetched w1's results");
        // w1 sent them, and its results to the client before
        assertTrue(m.value("weft_worker_transfer_outgoing_bytes_total", "worker", "w1") >= fetched);
        assertTrue(m.value("weft_worker_transfer_outgoing_count_total", "worker", "w1") >= 2);
        slow.cancel();
    }
}
