package org.weft.scheduler.core.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.FutureStatus;
import org.weft.client.WeftFuture;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.DownscalingRequest;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.pluginhost.PluginOrigin;
import org.weft.protocol.RetireOutcome;
import org.weft.scheduler.core.state.TaskState;
import org.weft.worker.WorkerNode;

/** Retiring workers, worker TTL and idle timeout on a real local cluster through the client, validation on. */
class ScalingTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private LocalCluster cluster;
    private Client client;

    private void start(LocalClusterConfig config) {
        cluster = LocalCluster.start(config.withValidation(true), TaskFunctionRegistry.withBuiltins());
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private List<WeftFuture> computed(int n) {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(i);
        }
        List<WeftFuture> futures = client.map("inc", items);
        await().atMost(WAIT).until(() -> futures.stream().allMatch(f -> f.status() == FutureStatus.FINISHED));
        return futures;
    }

    /** For each worker, the keys only it holds. */
    private Map<String, Set<String>> uniqueKeys() {
        return cluster.scheduler().query(s -> {
            Map<String, Set<String>> byWorker = new HashMap<>();
            s.workers().keySet().forEach(w -> byWorker.put(w, new LinkedHashSet<>()));
            for (TaskState ts : s.tasks().values()) {
                if (ts.whoHas().size() == 1) {
                    byWorker.get(ts.whoHas().iterator().next()).add(ts.key());
                }
            }
            return byWorker;
        }).join();
    }

    private Set<String> schedulerWorkers() {
        return cluster.scheduler().query(s -> Set.copyOf(s.workers().keySet())).join();
    }

    private static List<Long> expected(int n) {
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(i + 1L);
        }
        return values;
    }

    @Test
    void retiringAWorkerMovesItsUniqueResultsAndTheyStayGatherable() {
        start(LocalClusterConfig.of(2).withThreads(2));
        List<WeftFuture> futures = computed(40);
        Map<String, Set<String>> unique = uniqueKeys();
        String victim = unique.entrySet().stream().max(Map.Entry.comparingByValue(
                java.util.Comparator.comparingInt(Set::size))).orElseThrow().getKey();
        Set<String> victimKeys = unique.get(victim);
        assertFalse(victimKeys.isEmpty(), "the retired worker holds results only it has: " + unique);

        List<RetireOutcome> outcomes = client.retireWorkers(victim);

        assertEquals(1, outcomes.size());
        RetireOutcome o = outcomes.get(0);
        assertTrue(o.retired(), o.toString());
        assertEquals(victimKeys, o.movedTo().keySet());
        assertFalse(schedulerWorkers().contains(victim));
        await().atMost(WAIT).until(() -> cluster.workers().stream().noneMatch(w -> w.address().equals(victim)));
        assertEquals(expected(40), client.gather(futures, 20, TimeUnit.SECONDS));
        // the cluster goes on working with the remaining worker
        assertEquals(101L, client.submit("inc", 100).get(20, TimeUnit.SECONDS));
    }

    @Test
    void retiringTheOnlyWorkerHoldingDataFailsAndKeepsIt() {
        start(LocalClusterConfig.of(1).withThreads(1));
        List<WeftFuture> futures = computed(5);
        String only = cluster.workers().get(0).address();

        RetireOutcome o = client.retireWorkers(only).get(0);

        assertFalse(o.retired());
        assertTrue(o.reason().contains("no other running worker"), o.reason());
        assertEquals(Set.of(only), schedulerWorkers());
        assertEquals(expected(5), client.gather(futures, 20, TimeUnit.SECONDS));
        assertEquals(2L, client.submit("inc", 1).get(20, TimeUnit.SECONDS), "the worker still takes tasks");
    }

    @Test
    void workersToCloseAppliesEverySchedulerPluginInTurn() {
        start(LocalClusterConfig.of(3).withThreads(1));
        List<String> addresses = cluster.workers().stream().map(WorkerNode::address).sorted().toList();
        List<Set<String>> askedFirst = new CopyOnWriteArrayList<>();
        List<Set<String>> askedSecond = new CopyOnWriteArrayList<>();
        String protectedWorker = addresses.get(0);
        addFilter("keeps-first", askedFirst, c -> {
            Set<String> kept = new HashSet<>(c);
            kept.remove(protectedWorker);
            return kept;
        });
        addFilter("allows-all", askedSecond, c -> c);

        List<String> toClose = client.workersToClose(3);

        assertEquals(Set.copyOf(addresses.subList(1, 3)), Set.copyOf(toClose));
        assertEquals(List.of(Set.copyOf(addresses)), askedFirst);
        assertEquals(List.of(Set.copyOf(addresses.subList(1, 3))), askedSecond, "the second sees the first's answer");
        assertEquals(1, client.adaptiveTarget(), "nothing to do: scale down to the protected worker");
    }

    private void addFilter(String name, List<Set<String>> asked, java.util.function.UnaryOperator<Set<String>> rule) {
        SchedulerPlugin plugin = new SchedulerPlugin() {
            @Override
            public Set<String> validWorkersDownscaling(DownscalingRequest request) {
                asked.add(request.candidates());
                return rule.apply(request.candidates());
            }
        };
        cluster.scheduler().addPlugin(plugin, PluginOptions.named(name), PluginOrigin.CODE).join();
    }

    @Test
    void workerThatStopsHeartbeatingIsRemovedAndItsWorkRunsElsewhere() {
        start(LocalClusterConfig.of(2).withThreads(1).withWorkerTtl(300));
        WorkerNode silent = cluster.workers().get(0);
        silent.stopHeartbeats();

        await().atMost(WAIT).until(() -> !schedulerWorkers().contains(silent.address()));
        await().atMost(WAIT).until(() -> cluster.workers().size() == 1);
        assertFalse(cluster.workers().contains(silent));
        List<WeftFuture> futures = computed(10);
        assertEquals(expected(10), client.gather(futures, 20, TimeUnit.SECONDS));
        // the heartbeating worker is kept well past the TTL
        assertEquals(1, schedulerWorkers().size());
    }

    @Test
    void idleTimeoutClosesTheCluster() {
        start(LocalClusterConfig.of(1).withThreads(1).withIdleTimeout(300));
        CompletableFuture<String> why = new CompletableFuture<>();
        cluster.onSelfClose(why::complete);

        String reason = why.orTimeout(20, TimeUnit.SECONDS).join();

        assertTrue(reason.contains("idle timeout"), reason);
        assertTrue(cluster.workers().isEmpty(), "workers closed");
        CompletableFuture<Integer> query = cluster.scheduler().query(s -> s.workers().size());
        assertTrue(query.isCompletedExceptionally(), "the scheduler loop is closed");
    }

    @Test
    void clientActivityKeepsTheClusterOpenPastTheIdleTimeout() throws Exception {
        start(LocalClusterConfig.of(1).withThreads(1).withIdleTimeout(400));
        CompletableFuture<String> why = new CompletableFuture<>();
        cluster.onSelfClose(why::complete);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_200);
        while (System.nanoTime() < end) {
            assertEquals(2L, client.submit("inc", 1).get(5, TimeUnit.SECONDS));
            assertFalse(why.isDone(), "closed while a client was busy: " + why.getNow(null));
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        }
    }
}
