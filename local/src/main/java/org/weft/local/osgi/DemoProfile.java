package org.weft.local.osgi;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.Client;
import org.weft.local.LocalCluster;

/**
 * {@code bin/weft demo} runs with the task trace and the resource monitor on, when their plugin
 * (plugins-resource-monitor, shipped in bundle/5) is there, through its {@code weft-profile} task
 * function, the same call a client makes; then it writes the trace and the HTML report under
 * {@code data/profile/} and says where they are. Without the plugin the demo runs as before.
 */
final class DemoProfile {

    private static final Logger LOG = LoggerFactory.getLogger(DemoProfile.class);
    static final String FUNCTION = "weft-profile";
    /** The plugin's bundle starts a level after the cluster: how long the demo waits for it. */
    private static final long WAIT_MILLIS = 3000;

    private final Client client;
    private final Path dir;

    private DemoProfile(Client client, Path dir) {
        this.client = client;
        this.dir = dir;
    }

    /** Starts a recording, or returns {@code null} if the profiling plugin is not installed. */
    static DemoProfile start(LocalCluster cluster, Client client, Path dir) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!cluster.functions().names().contains(FUNCTION)) {
            if (System.nanoTime() > deadline) {
                LOG.info("the demo runs without the trace and monitor: no '{}' task function (plugin not installed)", FUNCTION);
                return null;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        try {
            client.runOnScheduler(FUNCTION, "start");
            return new DemoProfile(client, dir);
        } catch (RuntimeException e) {
            LOG.warn("the demo runs without the trace and monitor: {}", e.toString());
            return null;
        }
    }

    /** Stops the recording, writes the trace and the report, and prints where they went. */
    void finish(PrintStream out) {
        try {
            client.runOnScheduler(FUNCTION, "stop");
            Path trace = dir.resolve("demo-trace.json");
            Path report = dir.resolve("demo-report.html");
            client.runOnScheduler(FUNCTION, "trace", trace.toString());
            client.runOnScheduler(FUNCTION, "report", report.toString());
            out.println("trace: " + trace + " (open it in https://ui.perfetto.dev or chrome://tracing)");
            out.println("report: " + report + " (open it in a browser)");
        } catch (RuntimeException e) {
            LOG.warn("the demo's trace and report were not written", e);
            out.println("trace and report not written: " + e.getMessage());
        }
    }
}
