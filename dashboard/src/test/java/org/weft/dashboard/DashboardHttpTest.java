package org.weft.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.Servlet;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;
import org.weft.client.Client;
import org.weft.client.WeftFuture;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.Delivery;
import org.weft.plugin.api.Overflow;
import org.weft.plugin.api.PluginOptions;
import org.weft.pluginhost.PluginOrigin;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.scheduler.core.osgi.ClusterSnapshotService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The dashboard's servlets on a real Jetty over a real local cluster and a real Felix framework:
 * pages and their security headers, the live feed, the JSON API, and plugin management that is
 * refused without the token, over the size limit, or for a jar that is not a bundle.
 */
class DashboardHttpTest {

    private static final String TOKEN = "s3cret-token";
    private static final long LIMIT = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Framework framework;
    private LocalCluster cluster;
    private Client client;
    private LiveFeed feed;
    private TaskStream stream;
    private Server server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        framework = TestBundles.framework(dir.resolve("cache"));
        cluster = LocalCluster.start(LocalClusterConfig.of(2).withThreads(2), TaskFunctionRegistry.withBuiltins());
        client = cluster.client();
        stream = new TaskStream(1000);
        cluster.scheduler().addPlugin(new TaskStreamPlugin(stream),
                PluginOptions.named(TaskStreamPlugin.NAME).delivery(Delivery.async(1024, Overflow.DROP)), PluginOrigin.CODE)
                .get(10, TimeUnit.SECONDS);
        ClusterSnapshotService snapshots = new ClusterSnapshotService(cluster.service());
        SnapshotCache cache = new SnapshotCache(snapshots, 50);
        feed = new LiveFeed(cache, stream, 100);
        PluginBundles bundles = new PluginBundles(framework.getBundleContext(), dir.resolve("home"), dir.resolve("data/kept"));

        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        add(context, new PageServlet(), "/");
        add(context, new ApiServlet(cache, snapshots, bundles, new ExtraPages(framework.getBundleContext())), "/api/*");
        add(context, new StreamServlet(feed), "/api/stream");
        add(context, new MetricsServlet(new WeftMetrics(cache::fresh, feed::subscriberCount)), "/metrics");
        add(context, new PluginAdminServlet(bundles, new TokenCheck(TOKEN), LIMIT, dir.resolve("tmp")), "/api/plugins/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    private static void add(ServletContextHandler context, Servlet servlet, String pattern) {
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, pattern);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        feed.close();
        client.close();
        cluster.close();
        framework.stop();
        framework.waitForStop(10_000);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Bundle named(String name) {
        return TestBundles.named(framework, name);
    }

    @Test
    void pagesComeFromTheBundleAndForbidScriptsFromElsewhere() throws Exception {
        HttpResponse<String> status = get("/status");
        assertEquals(200, status.statusCode());
        assertTrue(status.body().contains("data-page=\"status\""), status.body());
        assertTrue(status.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertEquals(404, get("/nothing-here").statusCode());
        assertEquals(404, get("/%3Cscript%3E").statusCode());
        HttpResponse<String> js = get("/static/dashboard.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.body().contains("EventSource"), "the live feed's client");
        assertTrue(!js.body().contains("innerHTML"), "nothing is parsed as HTML");
        assertEquals(302, http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void theLiveFeedCarriesTheSnapshotItsChangesAndTheTaskSpans() throws Exception {
        assertEquals(42, ((Number) client.submit("inc", 41).get()).intValue());
        Thread.sleep(300); // the plugin's asynchronous delivery had time to see the task
        assertEquals(0, stream.tasks(), "no page open: the task stream records nothing");

        HttpResponse<java.io.InputStream> page = http.send(HttpRequest.newBuilder(URI.create(base + "/api/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream", page.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        WeftFuture done = client.submit("inc", 1);
        assertEquals(2, ((Number) done.get()).intValue());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(page.body(), StandardCharsets.UTF_8))) {
            int spans = 0;
            JsonNode last = null;
            List<JsonNode> updates = new java.util.ArrayList<>();
            ObjectNode merged = JSON.createObjectNode();
            while (updates.size() < 100 && (spans == 0 || updates.size() < 3)) {
                String line = lines.readLine();
                if (line != null && line.startsWith("data: ")) {
                    last = JSON.readTree(line.substring(6));
                    updates.add(last);
                    merged.setAll((ObjectNode) last.get("snapshot"));
                    spans += last.get("spans").size();
                }
            }
            assertEquals(1, spans, "the one task's compute since the page opened");
            assertTrue(get("/metrics").body().contains("\nweft_dashboard_pages_open 1.0\n"), "this page is counted");
            assertEquals(2, merged.get("workers").size());
            assertEquals(2, merged.get("tasks").get("memory").asInt());
            assertTrue(updates.get(0).get("snapshot").has("address"), "the first update has the whole snapshot");
            assertTrue(updates.subList(1, updates.size()).stream().noneMatch(u -> u.get("snapshot").has("address")),
                    "later ones only what changed");
            JsonNode span = updates.stream().filter(u -> u.get("spans").size() > 0).findFirst().orElseThrow()
                    .get("spans").get(0);
            assertEquals(done.key(), span.get(0).asText());
            assertTrue(span.get(3).asLong() >= span.get(2).asLong(), "stop after start");
        }
    }

    /** Counts the updates that come on one page's stream, on a thread of its own, until the stream ends. */
    private java.util.concurrent.atomic.AtomicInteger countUpdates(HttpResponse<java.io.InputStream> page) {
        java.util.concurrent.atomic.AtomicInteger updates = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(page.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("data: ")) {
                        updates.incrementAndGet();
                    }
                }
            } catch (java.io.IOException e) {
                // the stream was closed
            }
        }, "page-reader");
        reader.setDaemon(true);
        reader.start();
        return updates;
    }

    @Test
    void eachPageGetsUpdatesAsOftenAsItAsks() throws Exception {
        // the feed ticks every 100 ms here: 250 ms is every third tick (rounded), 1 000 every tenth
        HttpResponse<java.io.InputStream> fast = http.send(HttpRequest.newBuilder(URI.create(base + "/api/stream?every=250")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<java.io.InputStream> slow = http.send(HttpRequest.newBuilder(URI.create(base + "/api/stream?every=1000")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        java.util.concurrent.atomic.AtomicInteger fastUpdates = countUpdates(fast);
        java.util.concurrent.atomic.AtomicInteger slowUpdates = countUpdates(slow);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> fastUpdates.get() >= 20);
        int f = fastUpdates.get();
        int s = slowUpdates.get();
        // both start at the same tick or one apart: 20 updates every third tick are 58 – 60 ticks, 6 – 7 updates every tenth
        assertTrue(s >= 4 && s <= 8, s + " updates every 1 000 ms while the page at 250 ms got " + f);
        fast.body().close();
        slow.body().close();
    }

    @Test
    void aStreamAtARateOutsideItsBoundsIsRefused() throws Exception {
        for (String every : List.of("100", "10001", "fast", "", "-500")) {
            HttpResponse<String> answer = get("/api/stream?every=" + every);
            assertEquals(400, answer.statusCode(), "every=" + every);
            assertTrue(answer.body().contains("from 250 to 10000"), answer.body());
        }
        assertEquals(0, feed.subscriberCount());
    }

    /** The dashboard plugin's hook calls, as the host counts them (asked on the loop, after what was sent). */
    private long dashboardCalls() throws Exception {
        return cluster.pluginStatus().get(10, TimeUnit.SECONDS).stream()
                .filter(s -> s.name().equals(TaskStreamPlugin.NAME) && s.state() == org.weft.pluginhost.PluginState.ACTIVE)
                .findFirst().orElseThrow().calls();
    }

    private void runTasks(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            client.submit("inc", i).get();
        }
    }

    @Test
    void theDashboardPluginGetsNoEventWhileNoPageIsOpenAndEveryOneWhileOneIs() throws Exception {
        // the same plugin with synchronous delivery: its calls are counted before a result reaches the client
        cluster.scheduler().addPlugin(new TaskStreamPlugin(stream), PluginOptions.named(TaskStreamPlugin.NAME),
                PluginOrigin.CODE).get(10, TimeUnit.SECONDS);
        runTasks(3);
        assertEquals(0, dashboardCalls(), "no page open: the scheduler builds no event for the dashboard");

        HttpResponse<java.io.InputStream> page = http.send(HttpRequest.newBuilder(URI.create(base + "/api/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(1, feed.subscriberCount());
        runTasks(4);
        assertEquals(4, dashboardCalls(), "a page is open: each finished task, from the first on");
        assertEquals(4, stream.tasks());

        page.body().close();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> feed.subscriberCount() == 0);
        runTasks(3);
        assertEquals(4, dashboardCalls(), "the page closed: no more events");

        HttpResponse<java.io.InputStream> again = http.send(HttpRequest.newBuilder(URI.create(base + "/api/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        runTasks(2);
        assertEquals(6, dashboardCalls(), "a page opened again: events again");
        assertEquals(6, stream.tasks());
        again.body().close();
    }

    @Test
    void theApiAnswersStoriesEventsAndRefusesVagueQuestions() throws Exception {
        WeftFuture done = client.submit("inc", 1);
        done.get();
        cluster.scheduler().logEvent(List.of("news"), Map.of("text", "<b>not bold</b>")).get(10, TimeUnit.SECONDS);
        JsonNode story = JSON.readTree(get("/api/story?key=" + done.key()).body());
        assertTrue(story.size() >= 3, story.toString());
        JsonNode events = JSON.readTree(get("/api/events?topic=news").body());
        assertEquals("<b>not bold</b>", events.get(0).get("message").get("text").asText());
        assertEquals(400, get("/api/story").statusCode());
        assertEquals(404, get("/api/nothing").statusCode());
        JsonNode snapshot = JSON.readTree(get("/api/snapshot").body());
        assertEquals(1, snapshot.get("snapshot").get("clients").asInt());
    }

    @Test
    void pluginManagementNeedsTheTokenALimitedSizeAndABundle() throws Exception {
        byte[] jar = Files.readAllBytes(TestBundles.bundle(dir, "org.example.page", "1.0.0"));
        assertEquals(401, post("/api/plugins/install", null, jar).statusCode());
        assertEquals(401, post("/api/plugins/install", "wrong", jar).statusCode());
        assertEquals(401, post("/api/plugins/install", TOKEN + "x", jar).statusCode());
        assertNull(named("org.example.page"), "nothing installed without the token");

        HttpResponse<String> big = post("/api/plugins/install", TOKEN, new byte[(int) LIMIT + 1]);
        assertEquals(413, big.statusCode(), big.body());
        HttpResponse<String> plain = post("/api/plugins/install", TOKEN, Files.readAllBytes(TestBundles.plainJar(dir)));
        assertEquals(400, plain.statusCode());
        assertTrue(plain.body().contains("not an OSGi bundle"), plain.body());

        HttpResponse<String> ok = post("/api/plugins/install", TOKEN, jar);
        assertEquals(200, ok.statusCode(), ok.body());
        Bundle page = named("org.example.page");
        assertEquals(Bundle.ACTIVE, page.getState());
        assertEquals(401, post("/api/plugins/remove?bundle=" + page.getBundleId(), null, new byte[0]).statusCode());
        assertEquals(Bundle.ACTIVE, page.getState());
        HttpResponse<String> removed = post("/api/plugins/remove?bundle=" + page.getBundleId(), TOKEN, new byte[0]);
        assertEquals(200, removed.statusCode(), removed.body());
        assertNull(named("org.example.page"));
        assertEquals(400, post("/api/plugins/remove?bundle=x", TOKEN, new byte[0]).statusCode());
    }
}
