package org.weft.benchmarks;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One headless Chromium, started once and kept for a whole benchmark, told which page to show over
 * the Chrome DevTools protocol (a WebSocket, with the JDK's client): so a run with a page open and a
 * run without differ by the page only, not by a browser's start-up. Started as the tests start it:
 * no sandbox, no GPU, no first-run pages, no background networking, a fresh profile.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();

    HeadlessChromium(Path binary, Path profile) throws Exception {
        Files.createDirectories(profile);
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--user-data-dir=" + profile.toAbsolutePath(), "--remote-debugging-port=0", "--window-size=1280,900",
                "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new Bench.RunFailed("Chromium did not start; see " + profile.resolve("chromium.log"));
                }
                Bench.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
            String pageSocket = null;
            for (JsonNode target : targets) {
                if ("page".equals(target.path("type").asText())) {
                    pageSocket = target.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (pageSocket == null) {
                throw new Bench.RunFailed("Chromium shows no page: " + targets);
            }
            socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() { }).get(30, TimeUnit.SECONDS);
        } catch (Exception | Error e) {
            kill();
            throw e;
        }
    }

    /**
     * Shows {@code url} in the browser's one page (the previous page unloads, its connections
     * closed). Does not wait for the answer: the caller waits for what the page does.
     */
    void navigate(String url) throws Exception {
        socket.sendText(JSON.writeValueAsString(Map.of("id", ids.incrementAndGet(), "method", "Page.navigate",
                "params", Map.of("url", url))), true).get(30, TimeUnit.SECONDS);
    }

    /** Runs {@code script} in the page shown now; does not wait for it. */
    void evaluate(String script) throws Exception {
        socket.sendText(JSON.writeValueAsString(Map.of("id", ids.incrementAndGet(), "method", "Runtime.evaluate",
                "params", Map.of("expression", script))), true).get(30, TimeUnit.SECONDS);
    }

    /**
     * CPU time so far of the browser and each of its processes (renderer, GPU, network), by process
     * id. A process that ends between two looks takes its time with it; the page's renderer lives on.
     */
    Map<Long, Long> cpuNanos() {
        Map<Long, Long> out = new HashMap<>();
        for (ProcessHandle p : processes()) {
            p.info().totalCpuDuration().ifPresent(d -> out.put(p.pid(), d.toNanos()));
        }
        return out;
    }

    /** Each process's kind: Chromium's {@code --type=} (renderer, gpu-process, utility), or browser. */
    Map<Long, String> kinds() {
        Map<Long, String> out = new HashMap<>();
        for (ProcessHandle p : processes()) {
            String kind = "browser";
            for (String arg : arguments(p.pid())) {
                if (arg.startsWith("--type=")) {
                    kind = arg.substring("--type=".length());
                } else if (arg.startsWith("--utility-sub-type=")) {
                    kind = "utility " + arg.substring("--utility-sub-type=".length());
                }
            }
            out.put(p.pid(), kind);
        }
        return out;
    }

    /** A process's command line from {@code /proc} (the JDK's view of it is often empty), or none. */
    private static String[] arguments(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).split("[\\x00 ]");
        } catch (java.io.IOException e) {
            return new String[0];
        }
    }

    private List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        return all;
    }

    @Override
    public void close() {
        try {
            socket.abort();
        } finally {
            kill();
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
