package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The dashboard and {@code /metrics} of {@code bin/weft scheduler} with worker processes (they
 * show under the names they gave), {@code --no-dashboard}, and a bad {@code --dashboard-address}.
 */
class DashboardIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();

    static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return response.body();
    }

    /** The value of the one sample line {@code name{labels} value} of the exposition, or -1 when none. */
    static double sample(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void workerProcessesShowOnTheDashboardAndInTheMetricsWhileAGraphRuns() throws Exception {
        WeftProcess scheduler = processes.start("scheduler", "scheduler", "--port", "0", "--no-console",
                "--dashboard-address", "127.0.0.1:0");
        String address = scheduler.awaitLine("scheduler at (tcp://127\\.0\\.0\\.1:\\d+)").group(1);
        String dashboard = scheduler.awaitLine("dashboard at (http://127\\.0\\.0\\.1:\\d+)/").group(1);
        for (String name : new String[] {"w1", "w2"}) {
            processes.start(name, "worker", address, "--name", name, "--nthreads", "2", "--no-console", "--no-nanny")
                    .awaitLine("worker " + name + " at tcp://127\\.0\\.0\\.1:\\d+ joined " + Pattern.quote(address));
        }
        StringJoiner tasks = new StringJoiner(",\n");
        StringJoiner total = new StringJoiner(", ");
        for (int i = 0; i < 300; i++) {
            tasks.add("\"nap-" + i + "\": {\"fn\": \"sleep\", \"args\": [30, " + i + "]}");
            total.add("{\"ref\": \"nap-" + i + "\"}");
        }
        tasks.add("\"total\": {\"fn\": \"sum\", \"args\": [" + total + "]}");
        Path graph = Files.writeString(processes.dir().resolve("naps.json"),
                "{\"tasks\": {\n" + tasks + "},\n \"keys\": [\"total\"]}\n");
        WeftProcess submit = processes.start("submit", "submit", graph.toString(), "--scheduler", address);

        WeftInstall.awaitTrue("tasks processing on the worker processes", () -> sample(get(dashboard + "/metrics"),
                "weft_scheduler_tasks{state=\"processing\"}") > 0);
        String metrics = get(dashboard + "/metrics");
        assertEquals(2.0, sample(metrics, "weft_worker_threads{worker=\"w1\"}"), metrics);
        assertEquals(2.0, sample(metrics, "weft_worker_threads{worker=\"w2\"}"), metrics);
        assertEquals(1.0, sample(metrics, "weft_scheduler_clients"), metrics);
        assertTrue(metrics.contains("# TYPE jvm_memory_used_bytes gauge"), "JVM metrics");
        JsonNode workers = JSON.readTree(get(dashboard + "/api/snapshot")).get("snapshot").get("workers");
        assertEquals(2, workers.size());
        for (JsonNode w : workers) {
            assertTrue(w.get("remote").asBoolean(), w.toString());
            assertTrue(w.get("name").asText().matches("w[12]"), w.toString());
        }
        assertTrue(get(dashboard + "/workers").contains("workers-table"));

        assertEquals(0, submit.awaitExit(Duration.ofMinutes(3)), submit.describe());
        String after = get(dashboard + "/metrics");
        assertTrue(sample(after, "weft_scheduler_transitions_total") >= 3 * 301, after);
        assertTrue(sample(after, "weft_plugin_calls_total{kind=\"SCHEDULER\",plugin=\"dashboard\",where=\"scheduler\"}") >= 0,
                "the dashboard's own plugin is listed: " + after);
    }

    static JsonNode snapshot(String dashboard) throws Exception {
        return JSON.readTree(get(dashboard + "/api/snapshot")).get("snapshot");
    }

    /**
     * {@code bin/weft local}: its workers run in the scheduler's process, whose CPU and memory the
     * snapshot gives as {@code schedulerProcess} while the resource monitor records (started from the
     * console), shared by both workers; {@code /metrics} gives that process once (process_*), not per worker.
     */
    @Test
    void inProcessWorkersShareTheSchedulersFiguresWhileTheResourceMonitorRecords() throws Exception {
        WeftProcess local = processes.startWithInput("local", "local", "--workers", "2", "--dashboard-address",
                "127.0.0.1:0");
        String dashboard = local.awaitLine(".*dashboard at (http://127\\.0\\.0\\.1:\\d+)/").group(1);
        JsonNode before = snapshot(dashboard);
        assertTrue(before.get("schedulerProcess").isNull(), "the resource monitor does not record: " + before);
        for (JsonNode w : before.get("workers")) {
            assertFalse(w.get("remote").asBoolean(), w.toString());
        }

        local.type("weft:profile start\n");
        WeftInstall.awaitTrue("the resource monitor's figures of the scheduler's process", () -> {
            JsonNode p = snapshot(dashboard).get("schedulerProcess");
            return p != null && !p.isNull() && p.get("cpu").asDouble() >= 0 && p.get("rssBytes").asLong() > 0;
        });
        JsonNode process = snapshot(dashboard).get("schedulerProcess");
        assertEquals(2, process.get("workers").asInt(), "both workers share it: " + process);
        assertTrue(process.get("heapUsedBytes").asLong() > 0, process.toString());
        String metrics = get(dashboard + "/metrics");
        assertTrue(sample(metrics, "process_resident_memory_bytes") > 0, "the process, once: " + metrics);
        assertFalse(metrics.contains("weft_worker_process_resident_memory_bytes{"), "not once per worker: " + metrics);

        local.type("weft:profile stop\n");
        WeftInstall.awaitTrue("no figures once it stops", () -> snapshot(dashboard).get("schedulerProcess").isNull());
    }

    @Test
    void aBusyDashboardPortIsReplacedByAFreeOne() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            WeftProcess local = processes.start("local", "local", "--no-console", "--dashboard-address",
                    "127.0.0.1:" + busy.getLocalPort());
            String dashboard = local.awaitLine("dashboard at (http://127\\.0\\.0\\.1:\\d+)/").group(1);
            assertFalse(dashboard.endsWith(":" + busy.getLocalPort()), dashboard);
            assertTrue(get(dashboard + "/status").contains("data-page=\"status\""));
            assertTrue(local.stderr().contains("is in use; serving the dashboard on a free port"), local.describe());
        }
    }

    /** WEFT_DASHBOARD_ADDRESS sets the default address; a bad one is refused naming the variable. */
    @Test
    void theEnvironmentSetsTheDefaultAddress() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        WeftInstall.Finished run = processes.weft().runWithEnv(Map.of("WEFT_DASHBOARD_ADDRESS", "127.0.0.1:" + port),
                "weft:status\n", "local");
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.stdout().contains("dashboard at http://127.0.0.1:" + port + "/"), run.all());
        WeftInstall.Finished bad = processes.weft().runWithEnv(Map.of("WEFT_DASHBOARD_ADDRESS", "nowhere"), null, "local");
        assertEquals(2, bad.exitCode(), bad.all());
        assertTrue(bad.stderr().contains("WEFT_DASHBOARD_ADDRESS (the default of --dashboard-address) must be HOST:PORT"),
                bad.all());
    }

    @Test
    void noDashboardServesNothing() throws Exception {
        WeftInstall.Finished run = processes.weft().run("weft:status\n", "local", "--no-dashboard");
        assertEquals(0, run.exitCode(), run.all());
        assertFalse(run.stdout().contains("dashboard at"), run.all());
        String log = WeftInstall.read(processes.weft().home().resolve("data/log/weft.log"));
        assertTrue(log.contains("the dashboard is off"), log);
        assertFalse(log.contains("Started Jetty"), "no HTTP server: " + log);
    }

    @Test
    void aBadDashboardAddressIsRefusedWithTheReason() throws Exception {
        WeftInstall.Finished run = processes.weft().run(null, "local", "--dashboard-address", "localhost");
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.stderr().contains("--dashboard-address must be HOST:PORT"), run.all());
        WeftInstall.Finished port = processes.weft().run(null, "scheduler", "--dashboard-address", "127.0.0.1:99999");
        assertEquals(2, port.exitCode(), port.all());
        assertTrue(port.stderr().contains("the port must be from 0"), port.all());
    }
}
