package org.weft.scheduler.core.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.WeftFuture;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.worker.WorkerNode;

/** secede/rejoin, tasks that submit tasks, and worker resources on a real LocalCluster, validation on. */
class WorkerFeaturesTest {

    private final TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
    private LocalCluster cluster;
    private Client client;

    private void start(int workers, int threads) {
        cluster = LocalCluster.start(LocalClusterConfig.of(workers).withThreads(threads).withValidation(true), functions);
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

    @Test
    void aTaskThatSecedesLetsTheNextTaskRunOnAOneThreadWorker() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        functions.register("wait-seceded", (args, context) -> {
            context.secede();
            started.countDown();
            if (!released.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            context.rejoin();
            return "waited";
        });
        functions.register("release", (args, context) -> {
            released.countDown();
            return "released";
        });
        start(1, 1);
        WeftFuture waiter = client.submit("wait-seceded");
        await().atMost(Duration.ofSeconds(10)).until(() -> started.getCount() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.scheduler()
                .query(s -> s.workers().values().iterator().next().longRunningCount()).join() == 1);

        WeftFuture releaser = client.submit("release");
        assertEquals("released", releaser.get(10, TimeUnit.SECONDS));
        assertEquals("waited", waiter.get(10, TimeUnit.SECONDS));
        assertEquals(0, (int) cluster.scheduler()
                .query(s -> s.workers().values().iterator().next().longRunningCount()).join());
    }

    @Test
    void aTaskSubmitsTenSubtasksAndSumsThemOnAOneThreadWorker() {
        functions.register("sum-of-incs", (args, context) -> {
            Client inside = Client.current();
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < ((Number) args.get(0)).intValue(); i++) {
                items.add(i);
            }
            long sum = 0;
            for (Object value : inside.gather(inside.map("inc", items))) {
                sum += ((Number) value).longValue();
            }
            return sum;
        });
        functions.register("get-inside", (args, context) -> Client.current().submit("inc", 41).get());
        start(1, 1);
        assertEquals(55L, client.submit("sum-of-incs", 10).get(20, TimeUnit.SECONDS));
        assertEquals(42L, client.submit("get-inside").get(20, TimeUnit.SECONDS));
    }

    @Test
    void clientCurrentOutsideATaskIsAClearError() {
        start(1, 1);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                Client::current);
        assertTrue(e.getMessage().contains("inside a task"), e.getMessage());
    }

    @Test
    void theSchedulerKnowsEachWorkersResources() {
        cluster = LocalCluster.start(LocalClusterConfig.of(1).withThreads(1).withValidation(true)
                .withWorkerResources(Map.of("GPU", 1.0)), functions);
        WorkerNode special = cluster.addWorker(Map.of("GPU", 2.0, "MEMORY", 8e9)).join();
        Map<String, Map<String, Double>> known = cluster.scheduler().query(s -> {
            Map<String, Map<String, Double>> byWorker = new java.util.HashMap<>();
            s.workers().forEach((address, w) -> byWorker.put(address, w.resources()));
            return byWorker;
        }).join();
        assertEquals(2, known.size());
        assertEquals(Map.of("GPU", 2.0, "MEMORY", 8e9), known.get(special.address()));
        known.remove(special.address());
        assertEquals(Map.of("GPU", 1.0), known.values().iterator().next());
    }

    @Test
    void tasksAskingForAResourceTheWorkerHasOnceRunOneAtATime() throws InterruptedException {
        List<String> keys = List.of("free-1", "free-2", "gpu-1", "gpu-2");
        Map<String, CountDownLatch> started = new ConcurrentHashMap<>();
        Map<String, CountDownLatch> mayReturn = new ConcurrentHashMap<>();
        keys.forEach(key -> {
            started.put(key, new CountDownLatch(1));
            mayReturn.put(key, new CountDownLatch(1));
        });
        functions.register("gpu-job", (args, context) -> {
            started.get(context.key()).countDown();
            return mayReturn.get(context.key()).await(10, TimeUnit.SECONDS);
        });
        start(0, 2);
        WorkerNode worker = cluster.addWorker(Map.of("GPU", 1.0)).join();

        worker.computeTasks(List.of(job("free-1", Map.of()), job("free-2", Map.of())));
        assertTrue(started.get("free-1").await(10, TimeUnit.SECONDS)
                && started.get("free-2").await(10, TimeUnit.SECONDS), "without resources both run at once on 2 threads");
        mayReturn.get("free-1").countDown();
        mayReturn.get("free-2").countDown();

        worker.computeTasks(List.of(job("gpu-1", Map.of("GPU", 1.0)), job("gpu-2", Map.of("GPU", 1.0))));
        assertTrue(started.get("gpu-1").await(10, TimeUnit.SECONDS));
        assertEquals(WorkerTaskState.CONSTRAINED, worker.query(s -> s.tasks().get("gpu-2").state()).join(),
                "one GPU: gpu-2 waits while gpu-1 runs");
        assertEquals(1, started.get("gpu-2").getCount());
        mayReturn.get("gpu-1").countDown();
        assertTrue(started.get("gpu-2").await(10, TimeUnit.SECONDS), "gpu-2 starts once gpu-1 gave the GPU back");
        mayReturn.get("gpu-2").countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.query(s -> s.resources().available().get("GPU"))
                .join() == 1.0);
    }

    /** Sent to the worker directly, so that the worker alone decides when each runs. */
    private static ComputeTask job(String key, Map<String, Double> resources) {
        return new ComputeTask("any", key, "gpu-job", List.of(), Map.of(), TaskPriority.DEFAULT, resources, "test-" + key);
    }
}
