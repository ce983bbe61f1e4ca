package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each worker process's own figures in the scheduler's {@code /metrics} ({@code weft_worker_*}
 * with its name as the {@code worker} label), from {@code bin/weft worker} processes, checked
 * against what {@code weft:workers} says on the scheduler's console and against the worker
 * processes' own {@code /proc} entries, while one long task runs on the results of many.
 */
class WorkerMetricsIT {

    /** A {@code weft:workers} row: name (address), threads, resources, processing, occupancy, load, in memory, bytes[, devices]. */
    private static final String ROW =
            ".*?(w[12]) \\(tcp://[^)]+\\)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)(\\s+\\S+)?\\s*";

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();

    private static double of(String metrics, String name, String worker, String more) {
        return DashboardIT.sample(metrics, name + "{" + (more == null ? "" : more + ",") + "worker=\"" + worker + "\"}");
    }

    @Test
    void workerProcessesReportTheirOwnTasksBytesTransfersCpuAndMemory() throws Exception {
        WeftProcess scheduler = processes.startWithInput("scheduler", "scheduler", "--port", "0",
                "--dashboard-address", "127.0.0.1:0");
        String address = scheduler.awaitLine(".*scheduler at (tcp://127\\.0\\.0\\.1:\\d+)").group(1);
        String dashboard = scheduler.awaitLine(".*dashboard at (http://127\\.0\\.0\\.1:\\d+)/").group(1);
        Map<String, WeftProcess> workers = new HashMap<>();
        for (String name : new String[] {"w1", "w2"}) {
            WeftProcess w = processes.start(name, "worker", address, "--name", name, "--nthreads", "2", "--no-console",
                    "--no-nanny");
            w.awaitLine("worker " + name + " at tcp://127\\.0\\.0\\.1:\\d+ joined " + Pattern.quote(address));
            workers.put(name, w);
        }
        // twenty small results spread over both workers, then one task on all of them that sleeps
        StringJoiner tasks = new StringJoiner(",\n");
        StringJoiner parts = new StringJoiner(", ");
        for (int i = 0; i < 20; i++) {
            tasks.add("\"part-" + i + "\": {\"fn\": \"inc\", \"args\": [" + i + "]}");
            parts.add("{\"ref\": \"part-" + i + "\"}");
        }
        tasks.add("\"slow\": {\"fn\": \"sleep\", \"args\": [120000, " + parts + "]}");
        Path graph = Files.writeString(processes.dir().resolve("slow.json"),
                "{\"tasks\": {\n" + tasks + "},\n \"keys\": [\"slow\"]}\n");
        processes.start("submit", "submit", graph.toString(), "--scheduler", address);

        // the worker running it has fetched the other's results; wait for a heartbeat after that
        String[] runner = new String[1];
        WeftInstall.awaitTrue("one worker process says it runs the slow task", () -> {
            String m = DashboardIT.get(dashboard + "/metrics");
            for (String w : workers.keySet()) {
                if (of(m, "weft_worker_tasks", w, "state=\"executing\"") == 1) {
                    runner[0] = w;
                    return true;
                }
            }
            return false;
        });
        Thread.sleep(3_000); // heartbeats come every second: every figure is now from after the fetches
        String other = runner[0].equals("w1") ? "w2" : "w1";
        scheduler.type("weft:workers\n");
        List<Matcher> rows = scheduler.awaitLines(ROW, 2);
        Map<String, long[]> console = new HashMap<>(); // processing, in memory, bytes
        for (Matcher r : rows) {
            console.put(r.group(1), new long[] {Long.parseLong(r.group(4)), Long.parseLong(r.group(7)), Long.parseLong(r.group(8))});
        }
        String m = DashboardIT.get(dashboard + "/metrics");

        assertEquals(1, console.get(runner[0])[0], "weft:workers: the runner processes the slow task");
        assertEquals(console.get(other)[1], (long) of(m, "weft_worker_tasks", other, "state=\"memory\""), m);
        assertEquals(console.get(other)[2], (long) of(m, "weft_worker_memory_bytes", other, "type=\"managed\""), m);
        // the runner also holds the copies of the other's results it fetched, which the scheduler counts as the other's
        assertEquals(console.get(runner[0])[1] + console.get(other)[1],
                (long) of(m, "weft_worker_tasks", runner[0], "state=\"memory\""), m);
        assertEquals(20, console.get("w1")[1] + console.get("w2")[1]);
        if (console.get(other)[1] > 0) {
            assertTrue(of(m, "weft_worker_transfer_incoming_count_total", runner[0], null) >= 1, m);
            assertTrue(of(m, "weft_worker_transfer_outgoing_bytes_total", other, null)
                    >= of(m, "weft_worker_transfer_incoming_bytes_total", runner[0], null), m);
        }
        for (Map.Entry<String, WeftProcess> w : workers.entrySet()) {
            String name = w.getKey();
            assertTrue(of(m, "weft_worker_process_cpu_seconds_total", name, null) > 0, m);
            double cpu = of(m, "weft_worker_process_cpu_cores", name, null);
            assertTrue(cpu >= 0 && cpu <= Runtime.getRuntime().availableProcessors() + 0.5, "cores: " + cpu);
            Path status = Path.of("/proc", Long.toString(w.getValue().pid()), "status");
            if (Files.isReadable(status)) {
                long rss = Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
                double reported = of(m, "weft_worker_process_resident_memory_bytes", name, null);
                assertTrue(reported > rss / 2.0 && reported < rss * 2.0, name + ": reported " + reported + ", /proc " + rss);
            }
        }
    }
}
