package org.weft.scheduler.core.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.FutureStatus;
import org.weft.client.KeyCancelledException;
import org.weft.client.TaskOptions;
import org.weft.client.WeftException;
import org.weft.client.WeftFuture;
import org.weft.client.spi.TopicEvent;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.local.LocalClusterTest;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.LogEvent;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.PluginState;

/** cancel, reschedule, restart, log_event, identity and run_on_scheduler through the real client. */
class ControlTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CountDownLatch gate = new CountDownLatch(1);
    private final java.util.concurrent.CompletableFuture<Object> later = new java.util.concurrent.CompletableFuture<>();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Recorder plugin = new Recorder();
    private LocalCluster cluster;
    private Client client;
    private Client other;

    /** Records what a plugin sees: transitions to forgotten, restarts (with tasks known then), events. */
    static final class Recorder implements SchedulerPlugin {
        volatile SchedulerView view;
        final List<String> forgotten = new CopyOnWriteArrayList<>();
        final List<Integer> restartsWithTasks = new CopyOnWriteArrayList<>();
        final List<LogEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void start(SchedulerView scheduler) {
            view = scheduler;
        }

        @Override
        public void transition(TransitionEvent e) {
            if (e.finish() == SchedulerTaskState.FORGOTTEN) {
                forgotten.add(e.key());
            }
        }

        @Override
        public void restart(SchedulerView scheduler) {
            restartsWithTasks.add(scheduler.tasks().size());
        }

        @Override
        public void logEvent(LogEvent event) {
            events.add(event);
        }
    }

    @BeforeEach
    void start() {
        TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
        functions.register("gate", (args, ctx) -> {
            runs.computeIfAbsent(ctx.key(), k -> new AtomicInteger()).incrementAndGet();
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            return args.isEmpty() ? null : args.get(0);
        });
        functions.register("where", (args, ctx) -> Thread.currentThread().getName() + " " + ctx.worker());
        functions.register("later", (args, ctx) -> later);
        cluster = LocalCluster.start(LocalClusterConfig.of(2).withThreads(2).withValidation(true), functions);
        cluster.scheduler().addPlugin(plugin, PluginOptions.named("control-recorder"), PluginOrigin.CODE).join();
        client = cluster.client();
        other = cluster.client();
    }

    @AfterEach
    void stop() {
        gate.countDown();
        other.close();
        client.close();
        cluster.close();
    }

    private int runsOf(WeftFuture f) {
        AtomicInteger n = runs.get(f.key());
        return n == null ? 0 : n.get();
    }

    private boolean schedulerEmpty() {
        return cluster.scheduler().query(s -> s.tasks().isEmpty()).join();
    }

    private boolean workersEmpty() {
        return cluster.workers().stream().allMatch(w -> w.query(ws -> ws.tasks().isEmpty()).join());
    }

    @Test
    void cancellingARunningTaskCancelsItsDependentsAndThePluginSeesThemForgotten() {
        WeftFuture g = client.submit("gate", 1);
        WeftFuture b = client.submit("inc", g);
        WeftFuture c = client.submit("inc", b);
        await().atMost(WAIT).until(() -> runsOf(g) == 1);

        client.cancel(List.of(g));
        await().atMost(WAIT).until(() -> c.status() == FutureStatus.CANCELLED && b.status() == FutureStatus.CANCELLED);
        assertEquals(FutureStatus.CANCELLED, g.status());
        CancellationException e = assertThrows(CancellationException.class, () -> c.get(1, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains(c.key()), e.getMessage());
        assertTrue(schedulerEmpty());
        assertTrue(plugin.forgotten.containsAll(List.of(g.key(), b.key(), c.key())), plugin.forgotten.toString());

        gate.countDown(); // the orphaned run returns; its result is dropped
        await().atMost(WAIT).until(this::workersEmpty);
        assertEquals(3L, client.submit("add", 1, 2).get(10, TimeUnit.SECONDS));
    }

    @Test
    void withoutForceAnotherClientKeepsTheKeyWithForceItIsCancelledForIt() {
        WeftFuture mine = client.submit(TaskOptions.key("shared"), "gate", 7);
        WeftFuture theirs = other.submit(TaskOptions.key("shared"), "gate", 7);
        client.cancel(List.of(mine));
        assertEquals(FutureStatus.CANCELLED, mine.status());
        assertEquals(FutureStatus.PENDING, theirs.status());
        assertEquals(List.of("other's"), cluster.scheduler().query(s -> s.tasks().get("shared").wantedBy().stream()
                .map(w -> w.equals(other.id()) ? "other's" : w).toList()).join());

        WeftFuture again = client.submit(TaskOptions.key("shared"), "gate", 7);
        client.cancel(List.of(again), true);
        await().atMost(WAIT).until(() -> theirs.status() == FutureStatus.CANCELLED);
        assertThrows(CancellationException.class, () -> theirs.get(1, TimeUnit.SECONDS));
        assertTrue(schedulerEmpty());
    }

    @Test
    void aRescheduledTaskRunsAgainAndFinishes() {
        WeftFuture g = client.submit("gate", 5);
        await().atMost(WAIT).until(() -> runsOf(g) == 1);
        assertTrue(cluster.scheduler().reschedule(g.key(), null).join());
        gate.countDown(); // on the same worker the new run waits for the orphaned one to return
        assertEquals(5L, g.get(10, TimeUnit.SECONDS)); // an argument passed back: integers read back as Long
        assertEquals(2, runsOf(g), "the result comes from the second run");
        assertTrue(cluster.scheduler().query(s -> s.story(g.key()).stream()
                .anyMatch(r -> r.stimulusId().startsWith("reschedule") && "released".equals(r.finish()))).join());
        assertTrue(!cluster.scheduler().reschedule(g.key(), null).join(), "no longer processing");
    }

    @Test
    void restartClearsTasksTellsEveryClientResetsWorkersAndKeepsPlugins() {
        AtomicInteger setups = new AtomicInteger();
        cluster.addWorkerPlugin(LocalClusterTest.probe(setups, new AtomicInteger())).join();
        WeftFuture done = client.submit("inc", 1);
        assertEquals(2L, done.get(10, TimeUnit.SECONDS));
        WeftFuture pending = client.submit("gate", 1);
        WeftFuture theirs = other.submit("gate", 2);
        await().atMost(WAIT).until(() -> runsOf(pending) == 1 && runsOf(theirs) == 1);

        client.restart();
        assertEquals(FutureStatus.CANCELLED, pending.status(), "as in Dask: cancelled, not lost");
        KeyCancelledException cancelled = assertThrows(KeyCancelledException.class, () -> pending.get(1, TimeUnit.SECONDS));
        assertEquals("restart", cancelled.reason());
        assertEquals(FutureStatus.CANCELLED, done.status(), "a finished future is cancelled too");
        await().atMost(WAIT).until(() -> theirs.status() == FutureStatus.CANCELLED);
        assertEquals("restart", assertThrows(KeyCancelledException.class, () -> theirs.get(1, TimeUnit.SECONDS)).reason());
        assertTrue(schedulerEmpty());
        assertEquals(List.of(0), plugin.restartsWithTasks, "the hook runs once, after the tasks are gone");

        gate.countDown();
        await().atMost(WAIT).until(this::workersEmpty);
        assertEquals(2, cluster.scheduler().query(s -> s.workers().size()).join());
        assertEquals(2, setups.get(), "worker plugins are not set up again");
        assertTrue(cluster.pluginStatus().join().stream().filter(p -> p.name().equals("probe"))
                .allMatch(p -> p.state() == PluginState.ACTIVE));
        assertEquals(2L, client.submit("inc", 1).get(10, TimeUnit.SECONDS), "the cluster works after a restart");
        assertTrue(client.events("all").stream().anyMatch(e -> e.message() instanceof Map<?, ?> m
                && "restart".equals(m.get("action")) && client.id().equals(m.get("client"))));
    }

    @Test
    void eventsAreKeptGivenToPluginsOncePerTopicAndPushedToSubscribers() {
        List<TopicEvent> received = new CopyOnWriteArrayList<>();
        other.subscribeTopic("news", received::add);
        other.subscribeTopic("sentinel", received::add);

        client.logEvent(List.of("news", "audit"), Map.of("n", 1));
        assertEquals(List.of(Map.of("n", 1)), client.events("news").stream().map(TopicEvent::message).toList());
        assertEquals(1, client.events("audit").size());
        assertEquals(List.of(), client.events("never"));
        assertEquals(List.of("news", "audit"), plugin.events.stream().map(LogEvent::topic).toList());
        await().atMost(WAIT).until(() -> received.size() == 1);
        assertEquals("news", received.get(0).topic());
        assertEquals(Map.of("n", 1), received.get(0).message());

        other.unsubscribeTopic("news");
        client.logEvent("news", "unheard");
        client.logEvent("sentinel", "heard");
        await().atMost(WAIT).until(() -> received.size() == 2);
        assertEquals("heard", received.get(1).message(), "an unsubscribed topic is not pushed: " + received);
        assertEquals(List.of("unheard"), client.events("news").stream().skip(1).map(TopicEvent::message).toList());

        assertThrows(IllegalArgumentException.class, () -> client.logEvent("", "x"));
        assertThrows(IllegalArgumentException.class, () -> client.logEvent("t", new Object()));
    }

    @Test
    void identityDescribesTheScheduler() {
        Map<String, Object> id = client.identity();
        assertEquals("Scheduler", id.get("type"));
        assertEquals(LocalCluster.ADDRESS, id.get("address"));
        assertTrue(((String) id.get("id")).startsWith("Scheduler-"), id.toString());
        assertNotEquals(null, id.get("version"));
        assertEquals(2, id.get("clients"));
        Map<?, ?> workers = (Map<?, ?>) id.get("workers");
        assertEquals(2, workers.size());
        for (Object w : workers.values()) {
            assertEquals(2, ((Map<?, ?>) w).get("nthreads"));
        }
        assertEquals(0, id.get("total-tasks"));
    }

    @Test
    void runOnSchedulerRunsARegisteredFunctionOnTheSchedulerLoop() {
        assertEquals(42L, client.runOnScheduler("inc", 41));
        assertEquals("weft-scheduler " + LocalCluster.ADDRESS, client.runOnScheduler("where"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> client.runOnScheduler("no-such-function"));
        assertTrue(unknown.getMessage().contains("no task function named 'no-such-function'"), unknown.getMessage());
        WeftException failed = assertThrows(WeftException.class, () -> client.runOnScheduler("fail", "kaput"));
        assertTrue(failed.getMessage().contains("kaput") && failed.getMessage().contains("'fail'"), failed.getMessage());
        WeftFuture f = client.submit("inc", 1);
        assertThrows(IllegalArgumentException.class, () -> client.runOnScheduler("identity", f));
    }

    @Test
    void aFunctionRunOnTheSchedulerThatReturnsAStageDoesNotHoldTheLoopAndAnswersWhenItCompletes() throws Exception {
        java.util.concurrent.CompletableFuture<Object> answer = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> client.runOnScheduler("later"));
        // the loop is free while the stage is pending: a task runs to the end meanwhile
        assertEquals(2L, client.submit("inc", 1).get(10, TimeUnit.SECONDS));
        assertFalse(answer.isDone());
        later.complete("done later");
        assertEquals("done later", answer.get(10, TimeUnit.SECONDS));
    }
}
