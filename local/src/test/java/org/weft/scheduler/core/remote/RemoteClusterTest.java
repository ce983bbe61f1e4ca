package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;
import org.weft.comm.netty.TransportConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.protocol.StoryEntry;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.process.WorkerProcess;

/**
 * A scheduler and worker processes' nodes talking over real TCP on loopback: the scheduler in a
 * local cluster with no workers of its own, each worker a {@link WorkerProcess} with its own
 * transport and data server. Validation is on everywhere.
 */
class RemoteClusterTest {

    private LocalCluster cluster;
    private SchedulerServer server;
    private final List<WorkerProcess> workers = new CopyOnWriteArrayList<>();
    private Client client;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterConfig.of(0).withValidation(true), TaskFunctionRegistry.withBuiltins());
        server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()));
        client = cluster.client();
    }

    private WorkerProcess worker(String name, TransportConfig transport, TaskFunctionRegistry functions) {
        return worker(name, transport, functions, 20_000);
    }

    private WorkerProcess worker(String name, TransportConfig transport, TaskFunctionRegistry functions, long reconnectMillis) {
        WorkerProcess w = WorkerProcess.start(new WorkerProcess.Config(server.address(), name, 1, Map.of(), "127.0.0.1",
                transport, reconnectMillis, 200, PluginHostConfig.DEFAULTS, true), functions);
        workers.add(w);
        return w;
    }

    private WorkerProcess worker(String name) {
        return worker(name, TransportConfig.defaults(), TaskFunctionRegistry.withBuiltins());
    }

    private void awaitWorkers(int n) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (cluster.scheduler().query(s -> s.workers().size()).get() != n) {
            assertTrue(System.currentTimeMillis() < deadline, "workers did not join");
            Thread.sleep(10);
        }
    }

    @AfterEach
    void stop() {
        client.close();
        workers.forEach(WorkerProcess::close);
        server.close();
        cluster.close();
    }

    @Test
    void aTaskWhoseInputsAreOnAnotherWorkerFetchesThemFromThatWorker() throws Exception {
        WorkerProcess w1 = worker("w1");
        WorkerProcess w2 = worker("w2");
        awaitWorkers(2);
        WeftFuture a = client.submit(TaskOptions.key("a").withWorkers(w1.address()), "inc", 1);
        WeftFuture b = client.submit(TaskOptions.key("b").withWorkers(w2.address()), "inc", 10);
        WeftFuture c = client.submit(TaskOptions.key("c").withWorkers(w2.address()), "add", a, b);
        assertEquals(13L, c.get(20, TimeUnit.SECONDS));
        assertEquals(2L, a.get(20, TimeUnit.SECONDS));
        List<StoryEntry> story = cluster.story(List.of("a")).get(10, TimeUnit.SECONDS);
        List<String> onW2 = story.stream().filter(e -> w2.address().equals(e.where()))
                .map(e -> e.start() + "->" + e.finish()).collect(Collectors.toList());
        assertTrue(onW2.contains("fetch->flight") && onW2.contains("flight->memory"),
                "w2 fetched a from its peer: " + onW2 + " in " + story);
    }

    @Test
    void aRemoteClientRunsAGraphOnWorkerProcessesAndGathersFromThem() throws Exception {
        WorkerProcess w1 = worker("w1");
        WorkerProcess w2 = worker("w2");
        awaitWorkers(2);
        try (Client remote = Client.connect(server.address())) {
            WeftFuture a = remote.submit(TaskOptions.key("ra").withWorkers(w1.address()), "inc", 1);
            WeftFuture b = remote.submit(TaskOptions.key("rb").withWorkers(w2.address()), "identity", (Object) new byte[] {7, 8});
            WeftFuture c = remote.submit(TaskOptions.key("rc").withWorkers(w2.address()), "add", a, 40);
            assertEquals(42L, c.get(20, TimeUnit.SECONDS));
            assertTrue(java.util.Arrays.equals(new byte[] {7, 8}, (byte[]) b.get(20, TimeUnit.SECONDS)));
            assertEquals(List.of(2L, 42L), remote.gather(List.of(a, c)));
            WeftFuture bad = remote.submit("fail", "no good");
            Exception e = assertThrows(Exception.class, () -> bad.get(20, TimeUnit.SECONDS));
            assertTrue(String.valueOf(e.getMessage()).contains("no good"), e.toString());
        }
    }

    @Test
    void valuesOfEveryKindCrossAndComeBackAsTheyWent() throws Exception {
        worker("w1");
        worker("w2");
        awaitWorkers(2);
        Map<String, Object> nested = Map.of("list", List.of(1L, "two", 3.5), "flag", true);
        assertEquals(nested, client.submit("identity", nested).get(20, TimeUnit.SECONDS));
        byte[] bytes = {1, 2, 3};
        assertTrue(java.util.Arrays.equals(bytes, (byte[]) client.submit("identity", (Object) bytes).get(20, TimeUnit.SECONDS)));
        WeftFuture first = client.submit("identity", List.of(1, 2));
        assertEquals(List.of(List.of(1L, 2L), "s"), client.submit("identity", List.of(first, "s")).get(20, TimeUnit.SECONDS),
                "a result used as another task's input arrives as a value");
    }

    @Test
    void aResultThatCannotCrossProcessesErrsItsTaskSayingWhy() throws Exception {
        TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
        functions.register("make-thread", (args, context) -> new Thread());
        worker("w1", TransportConfig.defaults(), functions);
        awaitWorkers(1);
        WeftFuture f = client.submit("make-thread");
        Exception e = assertThrows(Exception.class, () -> f.get(20, TimeUnit.SECONDS));
        assertTrue(String.valueOf(e.getMessage()).contains("java.lang.Thread"), e.toString());
    }

    @Test
    void aWorkerLostMidRunHasItsTasksRunElsewhereAndEveryResultIsRight() throws Exception {
        worker("w1");
        WorkerProcess w2 = worker("w2");
        awaitWorkers(2);
        List<WeftFuture> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(client.submit(TaskOptions.key("sleep-" + i), "sleep", 5, i));
        }
        Thread.sleep(100);
        w2.close();
        for (int i = 0; i < futures.size(); i++) {
            assertEquals((long) i, futures.get(i).get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aRetiringWorkerMovesTheResultsOnlyItHoldsThenLeaves() throws Exception {
        WorkerProcess w1 = worker("w1");
        WorkerProcess w2 = worker("w2");
        awaitWorkers(2);
        List<WeftFuture> onW2 = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            onW2.add(client.submit(TaskOptions.key("held-" + i).withWorkers(w2.address()), "inc", i));
        }
        for (WeftFuture f : onW2) {
            f.get(20, TimeUnit.SECONDS);
        }
        w2.retire(20_000);
        assertEquals(0, w2.exited().get().status(), w2.exited().get().reason());
        awaitWorkers(1);
        for (int i = 0; i < onW2.size(); i++) {
            assertEquals((long) i + 2, client.submit("inc", onW2.get(i)).get(20, TimeUnit.SECONDS));
        }
        List<StoryEntry> story = cluster.story(List.of("held-0")).get(10, TimeUnit.SECONDS);
        assertTrue(story.stream().anyMatch(e -> w1.address().equals(e.where()) && "flight".equals(e.start())
                && "memory".equals(e.finish())), "w1 was sent a copy before w2 left: " + story);
        assertEquals(1, story.stream().filter(e -> "processing".equals(e.finish())).count(), "computed once: " + story);
    }

    @Test
    void aWorkerPluginOnAWorkerProcessIsSetUpSeesItsTasksAndIsTornDown() throws Exception {
        WorkerProcess w1 = worker("w1");
        awaitWorkers(1);
        java.util.concurrent.atomic.AtomicInteger setups = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger teardowns = new java.util.concurrent.atomic.AtomicInteger();
        List<String> finished = new CopyOnWriteArrayList<>();
        org.weft.worker.WorkerPluginFactory factory = new org.weft.worker.WorkerPluginFactory() {
            @Override
            public org.weft.plugin.api.PluginOptions options() {
                return org.weft.plugin.api.PluginOptions.named("seen");
            }

            @Override
            public org.weft.pluginhost.PluginOrigin origin() {
                return org.weft.pluginhost.PluginOrigin.CODE;
            }

            @Override
            public org.weft.plugin.api.WorkerPlugin create() {
                return new org.weft.plugin.api.WorkerPlugin() {
                    @Override
                    public void setup(org.weft.plugin.api.WorkerView worker) {
                        setups.incrementAndGet();
                    }

                    @Override
                    public void teardown(org.weft.plugin.api.WorkerView worker) {
                        teardowns.incrementAndGet();
                    }

                    @Override
                    public void transition(org.weft.plugin.api.WorkerTransitionEvent event) {
                        if (event.finish() == org.weft.plugin.api.WorkerTaskState.MEMORY) {
                            finished.add(event.key());
                        }
                    }
                };
            }
        };
        assertTrue(w1.addWorkerPlugin(factory).get(10, TimeUnit.SECONDS).stream().noneMatch(o -> o.failed()));
        assertEquals(1, setups.get());
        client.submit(TaskOptions.key("seen-1"), "inc", 1).get(20, TimeUnit.SECONDS);
        assertEquals(List.of("seen-1"), finished);
        assertTrue(cluster.pluginStatus().get(10, TimeUnit.SECONDS).stream()
                .anyMatch(p -> "seen".equals(p.name()) && w1.address().equals(p.where()) && p.calls() > 0),
                "the scheduler lists the worker process's plugin");
        w1.removeWorkerPlugin(factory).get(10, TimeUnit.SECONDS);
        assertEquals(1, teardowns.get());
    }

    @Test
    void aWorkerRetiringWhenItsSchedulerIsGoingAwayDoesNotWaitForIt() throws Exception {
        WorkerProcess w1 = worker("w1");
        awaitWorkers(1);
        Thread retiring = new Thread(() -> w1.retire(60_000));
        retiring.start();
        server.close(); // while the retire is asked for, or before the scheduler answers it
        retiring.join(10_000);
        assertTrue(!retiring.isAlive(), "the retire did not wait for a scheduler that went away");
        assertEquals(0, w1.exited().get(1, TimeUnit.SECONDS).status());
    }

    @Test
    void aRestartEmptiesTheWorkerProcessesAndTheClusterRunsOn() throws Exception {
        WorkerProcess w1 = worker("w1");
        WorkerProcess w2 = worker("w2");
        awaitWorkers(2);
        List<WeftFuture> held = client.map("inc", List.of(1, 2, 3, 4, 5, 6));
        client.gather(held);
        client.restart();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!(w1.node().query(s -> s.tasks().isEmpty()).get() && w2.node().query(s -> s.tasks().isEmpty()).get())) {
            assertTrue(System.currentTimeMillis() < deadline, "the worker processes dropped what they held");
            Thread.sleep(10);
        }
        assertEquals(8L, client.submit("inc", 7).get(20, TimeUnit.SECONDS));
    }

    /**
     * A worker under a nanny is not emptied in place: a restart ends it with status 75, for its
     * nanny to start a fresh process; the scheduler removes it and a worker without a nanny stays.
     */
    @Test
    void aRestartEndsAWorkerUnderANannyWithTheRestartStatus() throws Exception {
        WorkerProcess nannied = WorkerProcess.create(new WorkerProcess.Config(server.address(), "nannied", 1, Map.of(),
                "127.0.0.1", TransportConfig.defaults(), 20_000, 200, PluginHostConfig.DEFAULTS, true),
                TaskFunctionRegistry.withBuiltins());
        workers.add(nannied);
        nannied.restartThroughNanny();
        nannied.join();
        WorkerProcess plain = worker("plain");
        awaitWorkers(2);
        client.restart();
        WorkerProcess.Exit exit = nannied.exited().get(20, TimeUnit.SECONDS);
        assertEquals(WorkerProcess.RESTART, exit.status(), exit.reason());
        awaitWorkers(1);
        assertTrue(!plain.exited().isDone(), "a worker without a nanny stays");
        assertEquals(8L, client.submit("inc", 7).get(20, TimeUnit.SECONDS));
    }

    /** A worker process as a nanny with this id starts it; not joined yet. */
    private WorkerProcess underNanny(String name, String nannyId) {
        WorkerProcess w = WorkerProcess.create(new WorkerProcess.Config(server.address(), name, 1, Map.of(),
                "127.0.0.1", TransportConfig.defaults(), 20_000, 200, PluginHostConfig.DEFAULTS, true),
                TaskFunctionRegistry.withBuiltins());
        workers.add(w);
        w.restartThroughNanny(nannyId);
        return w;
    }

    /**
     * Dask's restart waits for its workers: a restart returns only once the nanny's fresh worker
     * has joined (here the test is the nanny: it starts a new process when the first ends with 75),
     * so a task submitted right after runs on the fresh worker.
     */
    @Test
    void aRestartReturnsOnlyOnceTheFreshWorkerOfEachNannyHasJoined() throws Exception {
        WorkerProcess first = underNanny("nannied", "nanny-1");
        first.join();
        awaitWorkers(1);
        WorkerProcess[] fresh = new WorkerProcess[1];
        first.exited().thenRunAsync(() -> {
            try {
                Thread.sleep(500); // a JVM's start, in short
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fresh[0] = underNanny("nannied", "nanny-1");
            fresh[0].join();
        });
        client.restart(java.time.Duration.ofSeconds(30));
        assertEquals(WorkerProcess.RESTART, first.exited().get(1, TimeUnit.SECONDS).status());
        assertTrue(fresh[0] != null, "the fresh worker was started");
        assertEquals(List.of(fresh[0].address()), cluster.scheduler().query(s -> List.copyOf(s.workers().keySet())).get(),
                "restart returned with the fresh worker joined, the old one gone");
        assertEquals(2L, client.submit("inc", 1).get(20, TimeUnit.SECONDS), "the fresh worker, the only one, runs it");
    }

    /** A nanny that does not start a fresh worker: the restart gives up after its timeout, naming the worker. */
    @Test
    void aRestartWhoseWorkerDoesNotComeBackFailsAfterItsTimeoutNamingIt() throws Exception {
        WorkerProcess gone = underNanny("stays-away", "nanny-2");
        gone.join();
        WorkerProcess back = underNanny("comes-back", "nanny-3");
        back.join();
        awaitWorkers(2);
        back.exited().thenRunAsync(() -> underNanny("comes-back", "nanny-3").join());
        long start = System.nanoTime();
        org.weft.client.WeftTimeoutException e = assertThrows(org.weft.client.WeftTimeoutException.class,
                () -> client.restart(java.time.Duration.ofSeconds(3)));
        assertTrue(System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(3), "it waited its timeout");
        assertTrue(e.getMessage().startsWith("waited 3.0 s for 2 worker(s) under nannies to come back after the restart; "
                + "1 did, 1 did not: stays-away (tcp://127.0.0.1:"), e.getMessage());
        assertEquals(8L, client.submit("inc", 7).get(20, TimeUnit.SECONDS), "the cluster runs on with the worker that came back");
    }

    @Test
    void aWorkerWithTheWrongTokenIsRefusedAndSaysSo() {
        server.close();
        server = SchedulerServer.start(cluster.service(),
                new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults().withToken("right")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> worker("w1", TransportConfig.defaults().withToken("wrong"), TaskFunctionRegistry.withBuiltins()));
        assertTrue(e.getMessage().contains("refused") && e.getMessage().contains("token"), e.getMessage());
        worker("w2", TransportConfig.defaults().withToken("right"), TaskFunctionRegistry.withBuiltins());
    }

    @Test
    void aWorkerThatLosesItsSchedulerForLongerThanItsTimeoutEndsWithAnError() throws Exception {
        WorkerProcess w1 = worker("w1", TransportConfig.defaults(), TaskFunctionRegistry.withBuiltins(), 3_000);
        awaitWorkers(1);
        server.close();
        WorkerProcess.Exit exit = w1.exited().get(20, TimeUnit.SECONDS);
        assertEquals(1, exit.status(), exit.reason());
        assertTrue(exit.reason().contains("could not join"), exit.reason());
    }
}
