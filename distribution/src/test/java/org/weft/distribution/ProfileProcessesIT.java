package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.weft.client.Client;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A profile of {@code weft scheduler} and two {@code weft worker} processes, driven from a remote
 * client as a user would ({@code runOnScheduler("weft-profile", ...)}): the trace written on the
 * scheduler holds each worker process as a process of its own, named with its real pid, with the
 * tasks it ran and its own process's samples.
 */
class ProfileProcessesIT {

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();

    @Test
    void aTraceGathersEveryWorkerProcessIntoATrackOfItsOwn() throws Exception {
        WeftProcess scheduler = processes.start("scheduler", "scheduler", "--port", "0", "--no-console");
        String address = scheduler.awaitLine("scheduler at (tcp://127\\.0\\.0\\.1:\\d+)").group(1);
        WeftProcess w1 = processes.start("w1", "worker", address, "--name", "w1", "--nthreads", "1", "--no-console", "--no-nanny");
        WeftProcess w2 = processes.start("w2", "worker", address, "--name", "w2", "--nthreads", "1", "--no-console", "--no-nanny");
        String a1 = joined(w1, "w1", address);
        String a2 = joined(w2, "w2", address);
        Path trace = processes.dir().resolve("cluster-trace.json");
        Path report = processes.dir().resolve("cluster-report.html");
        try (Client client = Client.connect(address)) {
            String started = String.valueOf(client.runOnScheduler("weft-profile", "start"));
            assertTrue(started.contains("worker " + a1 + ": profiling started")
                    && started.contains("worker " + a2 + ": profiling started"), started);
            List<WeftFuture> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(client.submit(TaskOptions.key("on-w1-" + i).withWorkers(a1), "sleep", 20, i));
                tasks.add(client.submit(TaskOptions.key("on-w2-" + i).withWorkers(a2), "sleep", 20, i));
            }
            client.gather(tasks);
            Thread.sleep(500); // a few samples of each process at 100 ms
            String stopped = String.valueOf(client.runOnScheduler("weft-profile", "stop"));
            assertTrue(stopped.contains("worker " + a2 + ": profiling stopped"), stopped);
            String traced = String.valueOf(client.runOnScheduler("weft-profile", "trace", trace.toString()));
            assertTrue(traced.contains("(this process and 2 of 2 worker process(es))"), traced);
            String reported = String.valueOf(client.runOnScheduler("weft-profile", "report", report.toString()));
            assertTrue(reported.contains("report written to " + report), reported);
        }

        Map<Integer, String> names = new HashMap<>();
        Map<String, Integer> pidOfKey = new HashMap<>();
        Map<Integer, Set<String>> counters = new HashMap<>();
        for (JsonNode e : new ObjectMapper().readTree(trace.toFile()).get("traceEvents")) {
            int pid = e.get("pid").asInt();
            switch (e.get("ph").asText()) {
                case "M" -> {
                    if (e.get("name").asText().equals("process_name")) {
                        names.put(pid, e.get("args").get("name").asText());
                    }
                }
                case "X" -> pidOfKey.put(e.get("name").asText(), pid);
                case "C" -> counters.computeIfAbsent(pid, p -> new HashSet<>()).add(e.get("name").asText());
                default -> {
                }
            }
        }
        int p1 = pidNamed(names, "worker " + a1 + " \\(.* pid " + w1.pid() + "\\)");
        int p2 = pidNamed(names, "worker " + a2 + " \\(.* pid " + w2.pid() + "\\)");
        assertTrue(names.get(1).endsWith("pid " + scheduler.pid()), "the scheduler's process is pid 1: " + names);
        for (int i = 0; i < 10; i++) {
            assertEquals(p1, pidOfKey.get("on-w1-" + i), "on-w1-" + i + " on w1's track: " + pidOfKey);
            assertEquals(p2, pidOfKey.get("on-w2-" + i), "on-w2-" + i + " on w2's track: " + pidOfKey);
        }
        for (int pid : List.of(p1, p2)) {
            assertTrue(counters.getOrDefault(pid, Set.of()).contains("CPU process"),
                    "the worker process's own samples on its track: " + counters);
        }
        String html = Files.readString(report);
        assertTrue(html.contains("2 worker(s) · 20 task(s)") && html.contains("Worker " + a1) && html.contains("Worker " + a2),
                "the report has both worker processes' tasks and plots");
    }

    /**
     * Waits until the worker joined and its runtime is ready (every bundle started, the resource
     * monitor's {@code weft-profile} function among them); returns its address.
     */
    private static String joined(WeftProcess worker, String name, String scheduler) throws InterruptedException {
        String address = worker.awaitLine("worker " + Pattern.quote(name) + " at (tcp://127\\.0\\.0\\.1:\\d+) joined "
                + Pattern.quote(scheduler)).group(1);
        worker.awaitLine("Weft .* worker " + Pattern.quote(name) + ": .* ready in .*");
        return address;
    }

    private static int pidNamed(Map<Integer, String> names, String regex) {
        return names.entrySet().stream().filter(e -> e.getValue().matches(regex)).mapToInt(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no process named like " + regex + ": " + names));
    }
}
