package org.weft.plugins.resourcemonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.client.Client;
import org.weft.client.WeftFuture;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The trace file a real local cluster's run produces: valid JSON a trace viewer opens as it is. */
class TraceFileTest {

    @TempDir
    Path dir;

    @Test
    void everyTaskIsACompleteEventOnAThreadOfItsWorkerAndTheEventsOfAThreadNest() throws Exception {
        JsonNode trace;
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.of(2).withThreads(2).withValidation(true),
                TaskFunctionRegistry.withBuiltins());
                Profiler profiler = new Profiler(ProfileSettings.DEFAULTS.withSchedulerTransitions(true)
                        .withIntervalMillis(20), new LocalClusterInstaller(cluster));
                Client client = cluster.client()) {
            assertTrue(profiler.start());
            assertFalse(profiler.start(), "a second start while recording is refused");
            List<WeftFuture> slept = client.map("sleep", IntStream.range(0, 12).mapToObj(i -> 5).toList());
            List<WeftFuture> incs = client.map("inc", IntStream.range(0, 200).boxed().toList());
            WeftFuture failed = client.submit("fail", "on purpose");
            client.gather(incs);
            client.gather(slept);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> failed.status().name().equals("ERROR"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> profiler.snapshot().sampleCount() >= 3);
            assertTrue(profiler.stop());
            Path file = dir.resolve("sub/trace.json");
            assertTrue(profiler.writeTrace(file));
            trace = new ObjectMapper().readTree(file.toFile());
        }

        Map<Integer, String> processNames = new HashMap<>();
        Map<String, String> threadNames = new HashMap<>();
        Map<String, List<long[]>> slicesByThread = new HashMap<>();
        Set<String> executedKeys = new HashSet<>();
        Set<String> counters = new HashSet<>();
        String error = null;
        int instants = 0;
        for (JsonNode e : trace.get("traceEvents")) {
            String ph = e.get("ph").asText();
            int pid = e.get("pid").asInt();
            switch (ph) {
                case "M" -> {
                    if (e.get("name").asText().equals("process_name")) {
                        processNames.put(pid, e.get("args").get("name").asText());
                    } else if (e.get("name").asText().equals("thread_name")) {
                        threadNames.put(pid + "/" + e.get("tid").asInt(), e.get("args").get("name").asText());
                    }
                }
                case "X" -> {
                    String key = e.get("args").get("key").asText();
                    assertEquals(key, e.get("name").asText());
                    assertEquals(KeyPrefix.of(key), e.get("cat").asText());
                    assertTrue(e.get("dur").asLong() >= 0);
                    executedKeys.add(key);
                    if (e.get("args").has("error")) {
                        error = e.get("args").get("error").asText();
                    }
                    slicesByThread.computeIfAbsent(pid + "/" + e.get("tid").asInt(), t -> new ArrayList<>())
                            .add(new long[] {e.get("ts").asLong(), e.get("ts").asLong() + e.get("dur").asLong()});
                }
                case "C" -> counters.add(pid + ":" + e.get("name").asText());
                case "i" -> instants++;
                default -> { }
            }
        }
        assertEquals(12 + 200 + 1, executedKeys.size(), "one executing span per task run");
        assertTrue(error != null && error.contains("on purpose"), "the failed task's span carries its error: " + error);
        assertTrue(processNames.get(TraceWriter.PROCESS_PID).startsWith("weft "), processNames.toString());
        assertEquals(3, processNames.size(), "the process and two workers: " + processNames);
        for (Map.Entry<String, List<long[]>> thread : slicesByThread.entrySet()) {
            assertNotNull(threadNames.get(thread.getKey()), "thread " + thread.getKey() + " is named");
            List<long[]> spans = thread.getValue();
            spans.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 1; i < spans.size(); i++) {
                assertTrue(spans.get(i)[0] >= spans.get(i - 1)[1],
                        "complete events on one thread do not overlap: " + thread.getKey());
            }
        }
        assertTrue(slicesByThread.keySet().stream().map(k -> k.split("/")[0]).distinct().count() == 2,
                "tasks ran on both workers: " + slicesByThread.keySet());
        assertTrue(counters.contains(TraceWriter.PROCESS_PID + ":" + ResourceProbe.HEAP_USED), counters.toString());
        assertTrue(counters.contains(TraceWriter.PROCESS_PID + ":" + ResourceProbe.CPU_PROCESS), counters.toString());
        assertTrue(counters.stream().anyMatch(c -> c.endsWith(":tasks executing")), counters.toString());
        assertTrue(instants >= 3 * 213, "scheduler transitions, as asked: " + instants);
        JsonNode weft = trace.get("otherData").get("weft");
        assertEquals(0, weft.get("droppedTaskPhases").asLong());
        assertEquals(TraceWriter.FORMAT, weft.get("format").asInt());
        assertFalse(weft.get("running").asBoolean());
    }

    @Test
    void aFullRingKeepsTheNewestPhasesAndSaysHowManyWereDropped() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterConfig.of(1).withThreads(1),
                TaskFunctionRegistry.withBuiltins());
                Profiler profiler = new Profiler(ProfileSettings.DEFAULTS.withMaxTraceEvents(10),
                        new LocalClusterInstaller(cluster));
                Client client = cluster.client()) {
            profiler.start();
            client.gather(client.map("inc", IntStream.range(0, 100).boxed().toList()));
            profiler.stop();
            Path file = dir.resolve("trace.json");
            profiler.writeTrace(file);
            JsonNode weft = new ObjectMapper().readTree(file.toFile()).get("otherData").get("weft");
            assertEquals(10, weft.get("taskPhases").asLong());
            assertTrue(weft.get("droppedTaskPhases").asLong() >= 90, weft.toString());
            assertTrue(profiler.status().stream().anyMatch(l -> l.startsWith("trace: 10 task phases") && l.contains(" dropped")),
                    profiler.status().toString());
        }
    }
}
