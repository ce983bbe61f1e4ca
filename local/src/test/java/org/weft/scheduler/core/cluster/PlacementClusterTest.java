package org.weft.scheduler.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.FutureStatus;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.Startstop;
import org.weft.pluginhost.PluginState;
import org.weft.pluginhost.PluginStatus;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.stealing.WorkStealing;
import org.weft.worker.WorkerNode;

/** Restrictions, queuing and the stealing plugin on a real local cluster, through the client. */
class PlacementClusterTest {

    private LocalCluster cluster;
    private Client client;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterConfig.of(2).withThreads(1).withValidation(true),
                TaskFunctionRegistry.withBuiltins());
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        client.close();
        cluster.close();
    }

    private Set<String> holders(String key) {
        return cluster.scheduler().query(s -> s.tasks().get(key).whoHas()).join();
    }

    @Test
    void aRestrictedTaskRunsOnItsWorkerAndWaitsForOneThatIsNotThereYet() {
        WeftFuture there = client.submit(TaskOptions.key("on-2").withWorkers("inproc://worker-2"), "inc", 1);
        assertEquals(2L, there.get(10, TimeUnit.SECONDS));
        assertEquals(Set.of("inproc://worker-2"), holders("on-2"));

        WeftFuture later = client.submit(TaskOptions.key("on-3").withWorkers("inproc://worker-3"), "inc", 2);
        assertEquals(SchedulerTaskState.NO_WORKER, cluster.scheduler()
                .query(s -> s.tasks().get("on-3").state()).join());
        assertEquals(FutureStatus.PENDING, later.status());
        cluster.addWorker().join();
        assertEquals(3L, later.get(10, TimeUnit.SECONDS));
        assertEquals(Set.of("inproc://worker-3"), holders("on-3"));

        WeftFuture loose = client.submit(TaskOptions.key("loose").withWorkers("inproc://worker-9")
                .withAllowOtherWorkers(true), "inc", 3);
        assertEquals(4L, loose.get(10, TimeUnit.SECONDS));
    }

    @Test
    void manyRootTasksAreQueuedOnTheSchedulerAndAllFinish() {
        List<WeftFuture> sleeps = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sleeps.add(client.submit(TaskOptions.key("nap-" + i), "sleep", 20));
        }
        int queued = cluster.scheduler().query(s -> s.queuedCount()).join();
        assertTrue(queued > 0, "root-ish tasks beyond 1.1 x threads wait on the scheduler");
        for (WeftFuture f : sleeps) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertEquals(0, (int) cluster.scheduler().query(s -> s.queuedCount()).join());
    }

    @Test
    void aTaskAskingForAResourceWaitsForAWorkerThatOffersItAndRunsThereOneAtATime() {
        WeftFuture first = client.submit(TaskOptions.key("gpu-a").withResources(Map.of("GPU", 1.0)), "sleep", 50, "a");
        WeftFuture second = client.submit(TaskOptions.key("gpu-b").withResources(Map.of("GPU", 1.0)), "sleep", 50, "b");
        assertEquals(SchedulerTaskState.NO_WORKER, cluster.scheduler().query(s -> s.tasks().get("gpu-a").state()).join());
        String gpu = cluster.addWorker(Map.of("GPU", 1.0)).join().address();
        assertEquals("a", first.get(10, TimeUnit.SECONDS));
        assertEquals("b", second.get(10, TimeUnit.SECONDS));
        assertEquals(Set.of(gpu), holders("gpu-a"));
        assertEquals(Set.of(gpu), holders("gpu-b"));
        WorkerNode gpuWorker = cluster.workers().stream().filter(w -> w.address().equals(gpu)).findFirst().orElseThrow();
        List<Startstop> a = gpuWorker.query(w -> w.tasks().get("gpu-a").startstops()).join();
        List<Startstop> b = gpuWorker.query(w -> w.tasks().get("gpu-b").startstops()).join();
        Startstop runA = a.stream().filter(x -> x.action().equals("compute")).findFirst().orElseThrow();
        Startstop runB = b.stream().filter(x -> x.action().equals("compute")).findFirst().orElseThrow();
        assertTrue(runA.stopMillis() <= runB.startMillis() || runB.stopMillis() <= runA.startMillis(),
                "one GPU: the runs do not overlap: " + runA + " " + runB);
    }

    @Test
    void anIdleWorkerStealsTasksThatHaveNotStartedFromABusyOne() {
        try (LocalCluster one = LocalCluster.start(LocalClusterConfig.of(1).withThreads(1).withValidation(true)
                .withScheduler(SchedulerConfig.DEFAULTS.withValidation(true).withWorkerSaturation(Double.POSITIVE_INFINITY)),
                TaskFunctionRegistry.withBuiltins()); Client c = one.client()) {
            List<WeftFuture> naps = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                naps.add(c.submit(TaskOptions.key("nap-" + i), "sleep", 100));
            }
            String first = one.workers().iterator().next().address();
            String second = one.addWorker().join().address();
            for (WeftFuture f : naps) {
                f.get(30, TimeUnit.SECONDS);
            }
            long onSecond = naps.stream().filter(f -> one.scheduler().query(s -> s.tasks().get(f.key()).whoHas()).join()
                    .contains(second)).count();
            assertTrue(onSecond > 0, "the idle worker took some of the first one's work");
            assertTrue(one.scheduler().query(s -> s.story("nap-11")).join().size() >= 3);
            assertTrue(naps.stream().anyMatch(f -> one.scheduler().query(s -> s.story(f.key())).join().stream()
                    .anyMatch(r -> r.stimulusId().contains("(steal " + first))), "a steal is in some task's story");
        }
    }

    @Test
    void aKeysStoryCoversTheSchedulerAndTheWorkerThatRanIt() {
        WeftFuture f = client.submit(TaskOptions.key("told"), "inc", 1);
        assertEquals(2L, f.get(10, TimeUnit.SECONDS));
        List<org.weft.protocol.StoryEntry> story = client.story("told", "never-heard-of");
        assertTrue(story.stream().anyMatch(e -> e.where().equals("scheduler") && e.finish().equals("memory")), story.toString());
        String worker = holders("told").iterator().next();
        assertTrue(story.stream().anyMatch(e -> e.where().equals(worker) && e.finish().equals("executing")), story.toString());
        assertTrue(story.stream().allMatch(e -> e.key().equals("told")));
    }

    @Test
    void workStealingIsABuiltInPluginListedLikeAnyOther() {
        List<PluginStatus> plugins = cluster.pluginStatus().join();
        PluginStatus stealing = plugins.stream().filter(p -> p.name().equals(WorkStealing.NAME)).findFirst().orElseThrow();
        assertEquals(PluginState.ACTIVE, stealing.state());
        assertEquals("(built-in)", stealing.bundle());
    }

    @Test
    void workStealingCanBeTurnedOff() {
        try (LocalCluster plain = LocalCluster.start(LocalClusterConfig.of(1).withThreads(1)
                .withScheduler(cluster.config().scheduler().withWorkStealing(false)), TaskFunctionRegistry.withBuiltins())) {
            assertTrue(plain.pluginStatus().join().stream().noneMatch(p -> p.name().equals(WorkStealing.NAME)));
        }
    }
}
