package org.weft.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.client.GraphRejectedException;
import org.weft.client.TaskFailedException;
import org.weft.client.WeftFuture;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerView;
import org.weft.pluginhost.PluginOrigin;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;

/** The real scheduler, workers, plugin host and client together, in one JVM, with validation on. */
public class LocalClusterTest {

    private LocalCluster cluster;
    private Client client;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterConfig.of(2).withThreads(2).withValidation(true),
                TaskFunctionRegistry.withBuiltins());
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        client.close();
        cluster.close();
    }

    @Test
    void submitWithDependenciesAcrossWorkers() {
        WeftFuture a = client.submit("inc", 1);
        WeftFuture b = client.submit("add", a, 10);
        assertEquals(12L, b.get(10, TimeUnit.SECONDS));
        assertEquals(2L, a.get(10, TimeUnit.SECONDS));
    }

    @Test
    void mapAndTreeReduceAThousandTasks() {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(i);
        }
        List<WeftFuture> incs = client.map("inc", items);
        List<WeftFuture> level = incs;
        while (level.size() > 1) {
            List<WeftFuture> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? client.submit("add", level.get(i), level.get(i + 1)) : level.get(i));
            }
            level = next;
        }
        assertEquals(500_500L, level.get(0).get(30, TimeUnit.SECONDS));
    }

    @Test
    void graphFromJsonRuns() {
        Graph g = Graph.fromJson("{\"tasks\": {\"a\": {\"fn\": \"inc\", \"args\": [1]}, "
                + "\"b\": {\"fn\": \"add\", \"args\": [{\"ref\": \"a\"}, 10]}}, \"keys\": [\"b\"]}");
        Map<String, WeftFuture> out = client.compute(g);
        assertEquals(12L, out.get("b").get(10, TimeUnit.SECONDS));
    }

    @Test
    void errorsReachTheClientWithTheBlamedKeyAndTraceback() {
        WeftFuture bad = client.submit("fail", "kaput");
        WeftFuture after = client.submit("inc", bad);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> after.get(10, TimeUnit.SECONDS));
        assertEquals(bad.key(), e.blamedKey());
        assertTrue(e.exceptionText().contains("kaput"), e.exceptionText());
        assertTrue(e.traceback().contains("BuiltinFunctions"), e.traceback());
    }

    @Test
    void unknownFunctionErrsClearly() {
        WeftFuture f = client.submit("no-such-function", 1);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(e.exceptionText().contains("no task function named 'no-such-function'"), e.exceptionText());
    }

    @Test
    void malformedGraphIsRejectedAndTheClusterCarriesOn() {
        Graph dangling = Graph.builder().task("x", "inc", new org.weft.protocol.TaskRef("nowhere"))
                .external("nowhere").keys("x").build();
        GraphRejectedException e = assertThrows(GraphRejectedException.class, () -> client.compute(dangling));
        assertTrue(e.getMessage().contains("'nowhere'"), e.getMessage());
        assertEquals(6L, client.submit("inc", 5).get(10, TimeUnit.SECONDS));
    }

    @Test
    void schedulerPluginSeesEveryTransitionAndIsClosedOnRemove() {
        AtomicInteger memory = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        SchedulerPlugin counter = new SchedulerPlugin() {
            @Override
            public void transition(TransitionEvent e) {
                if (e.start() == SchedulerTaskState.PROCESSING && e.finish() == SchedulerTaskState.MEMORY) {
                    memory.incrementAndGet();
                }
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        cluster.scheduler().addPlugin(counter, PluginOptions.named("counter"), PluginOrigin.CODE).join();
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(i);
        }
        client.gather(client.map("inc", items));
        assertEquals(200, memory.get());
        cluster.scheduler().removePlugin("counter").join();
        assertEquals(1, closed.get());
    }

    @Test
    void workerPluginIsSetUpOncePerWorkerAndTornDownOnClose() {
        AtomicInteger setups = new AtomicInteger();
        AtomicInteger teardowns = new AtomicInteger();
        WorkerPluginFactory factory = probe(setups, teardowns);
        List<WorkerPluginOutcome> outcomes = cluster.addWorkerPlugin(factory).join();
        assertEquals(2, outcomes.size());
        assertEquals(2, setups.get());
        cluster.addWorker().join();
        assertEquals(3, setups.get(), "a joining worker sets up registered plugins");
        cluster.close();
        assertEquals(3, teardowns.get());
    }

    @Test
    void workerPluginRemovedByNameIsTornDownEverywhereAndNotGivenToNewWorkers() {
        AtomicInteger setups = new AtomicInteger();
        AtomicInteger teardowns = new AtomicInteger();
        WorkerPluginFactory factory = probe(setups, teardowns);
        cluster.addWorkerPlugin(factory).join();
        assertEquals(List.of("probe"), cluster.workerPluginNames());
        assertTrue(cluster.removeWorkerPlugin("probe").join());
        assertEquals(2, teardowns.get());
        assertFalse(cluster.removeWorkerPlugin("probe").join(), "unknown name");
        cluster.addWorker().join();
        assertEquals(2, setups.get(), "a removed plugin is not set up on joining workers");
    }

    @Test
    void releasedKeysAreForgottenEverywhere() {
        WeftFuture f = client.submit("inc", 41);
        assertEquals(42L, f.get(10, TimeUnit.SECONDS));
        client.release(List.of(f));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.scheduler().query(s -> s.tasks().isEmpty()).join());
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.workers().stream()
                .allMatch(w -> w.query(ws -> ws.tasks().isEmpty()).join()));
    }

    /** A worker plugin "probe" counting setups and teardowns over all its instances. */
    public static WorkerPluginFactory probe(AtomicInteger setups, AtomicInteger teardowns) {
        return new WorkerPluginFactory() {
            @Override
            public PluginOptions options() {
                return PluginOptions.named("probe");
            }

            @Override
            public PluginOrigin origin() {
                return PluginOrigin.CODE;
            }

            @Override
            public WorkerPlugin create() {
                return new WorkerPlugin() {
                    @Override
                    public void setup(WorkerView worker) {
                        setups.incrementAndGet();
                    }

                    @Override
                    public void teardown(WorkerView worker) {
                        teardowns.incrementAndGet();
                    }
                };
            }
        };
    }
}
