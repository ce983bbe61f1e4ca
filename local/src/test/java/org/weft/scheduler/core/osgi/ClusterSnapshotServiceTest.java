package org.weft.scheduler.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.WeftFuture;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.ProcessSamples;

/** The dashboard's snapshot of a real local cluster agrees with the scheduler's own counts. */
class ClusterSnapshotServiceTest {

    private LocalCluster cluster;
    private Client client;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterConfig.of(2).withThreads(3), TaskFunctionRegistry.withBuiltins());
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        client.close();
        cluster.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void workersTasksPrefixesAndTheLoopAreCounted() throws Exception {
        WeftFuture a = client.submit("inc", 1);
        WeftFuture b = client.submit("add", a, 10);
        assertEquals(12, ((Number) b.get()).intValue());
        Map<String, Object> snapshot = new ClusterSnapshotService(cluster.service()).get().get(30, TimeUnit.SECONDS);

        assertEquals(cluster.address(), snapshot.get("address"));
        assertEquals(1, snapshot.get("clients"));
        assertEquals(2, snapshot.get("totalTasks"));
        assertEquals(Map.of("memory", 2), snapshot.get("tasks"));
        Map<String, Map<String, Integer>> prefixes = (Map<String, Map<String, Integer>>) snapshot.get("prefixes");
        assertEquals(2, prefixes.size(), "one prefix per function: " + prefixes);
        prefixes.values().forEach(p -> assertEquals(Map.of("memory", 1), p));
        long transitions = ((Number) snapshot.get("transitions")).longValue();
        assertEquals(cluster.scheduler().query(s -> s.transitionCount()).get(), transitions);
        assertTrue(transitions >= 6, "released→waiting→processing→memory twice: " + transitions);

        List<Map<String, Object>> workers = (List<Map<String, Object>>) snapshot.get("workers");
        assertEquals(2, workers.size());
        int inMemory = 0;
        for (Map<String, Object> w : workers) {
            assertEquals(3, w.get("nthreads"));
            assertEquals(false, w.get("remote"));
            assertEquals(w.get("address"), w.get("name"));
            inMemory += (Integer) w.get("inMemory");
        }
        assertEquals(2, inMemory);

        Map<String, Object> loop = (Map<String, Object>) snapshot.get("loop");
        assertTrue(((Number) loop.get("busyNanos")).longValue() > 0, "the loop did work: " + loop);
        assertTrue(snapshot.get("plugins") instanceof List<?> plugins && !plugins.isEmpty(), "work stealing is listed");
        assertFalse(snapshot.containsKey("transport"), "a local cluster has no TCP server");
        assertTrue(snapshot.get("events") instanceof Map);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theProcessSampleIsTheInProcessWorkersSharedFiguresWhileThereIsOne() throws Exception {
        ClusterSnapshotService service = new ClusterSnapshotService(cluster.service());
        assertTrue(service.get().get(30, TimeUnit.SECONDS).containsKey("schedulerProcess"));
        assertEquals(null, service.get().get(30, TimeUnit.SECONDS).get("schedulerProcess"), "no monitor: none");

        ProcessSamples.Sample[] latest = {null};
        ProcessSamples monitor = () -> latest[0];
        service.bindProcessSamples(monitor);
        assertEquals(null, service.get().get(30, TimeUnit.SECONDS).get("schedulerProcess"), "not recording: none");
        latest[0] = new ProcessSamples.Sample(1234, 1.5, 300_000_000L, 100_000_000L);
        Map<String, Object> process = (Map<String, Object>) service.get().get(30, TimeUnit.SECONDS).get("schedulerProcess");
        assertEquals(Map.of("cpu", 1.5, "rssBytes", 300_000_000L, "heapUsedBytes", 100_000_000L, "timeMillis", 1234L,
                "workers", 2L), process, "both workers share this process");

        ProcessSamples broken = () -> {
            throw new IllegalStateException("a monitor's bug");
        };
        service.unbindProcessSamples(monitor);
        service.bindProcessSamples(broken);
        assertEquals(null, service.get().get(30, TimeUnit.SECONDS).get("schedulerProcess"), "what it throws counts as none");
    }

    @Test
    void storiesAndEventsAreAnswered() throws Exception {
        WeftFuture a = client.submit("inc", 1);
        assertEquals(2, ((Number) a.get()).intValue());
        cluster.scheduler().logEvent(List.of("greetings"), "hello").get(30, TimeUnit.SECONDS);
        ClusterSnapshotService service = new ClusterSnapshotService(cluster.service());

        List<?> story = (List<?>) service.apply("story", a.key()).get(30, TimeUnit.SECONDS);
        assertEquals(cluster.story(List.of(a.key())).get(30, TimeUnit.SECONDS), story);
        assertTrue(story.stream().anyMatch(e -> ((org.weft.protocol.StoryEntry) e).finish().equals("memory")), story::toString);
        List<?> events = (List<?>) service.apply("events", "greetings").get(30, TimeUnit.SECONDS);
        assertEquals("hello", ((org.weft.plugin.api.LogEvent) events.get(0)).message());
        assertThrows(java.util.concurrent.ExecutionException.class, () -> service.apply("gossip", "x").get());
    }
}
