package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.weft.client.Client;
import org.weft.client.ClientOptions;
import org.weft.client.FutureStatus;
import org.weft.client.GraphRejectedException;
import org.weft.client.KeyLostException;
import org.weft.client.TaskFailedException;
import org.weft.client.TaskOptions;
import org.weft.client.WeftException;
import org.weft.client.WeftFuture;
import org.weft.client.remote.RemoteSchedulerConnection;
import org.weft.client.remote.SubmitMain;
import org.weft.client.spi.ClientListener;
import org.weft.client.spi.TopicEvent;
import org.weft.comm.netty.NettyServer;
import org.weft.comm.netty.NettyTransport;
import org.weft.comm.netty.TransportConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.protocol.Acceptor;
import org.weft.protocol.Role;
import org.weft.protocol.StoryEntry;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

/**
 * A remote client over real TCP on loopback: a local cluster's scheduler served by
 * {@link ClientSession}s behind a Netty listener, a {@link Client} connected with
 * {@code Client.connect("tcp://127.0.0.1:PORT")}. Validation is on.
 */
@Timeout(120)
class RemoteClientTest {

    private static final String TOKEN = "remote-client-test-token";

    private final CountDownLatch gate = new CountDownLatch(1);
    private LocalCluster cluster;
    private NettyTransport transport;
    private NettyServer server;
    private final List<Client> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
        functions.register("gate", (args, ctx) -> {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            return args.isEmpty() ? null : args.get(0);
        });
        functions.register("object", (args, ctx) -> new Object());
        cluster = LocalCluster.start(LocalClusterConfig.of(2).withThreads(2).withValidation(true), functions);
        transport = new NettyTransport(1);
        NettyServer[] self = new NettyServer[1];
        GatherSource gather = new WorkerDataGather(cluster.service(), null, worker -> false);
        server = transport.listen("127.0.0.1", 0, TransportConfig.defaults().withToken(TOKEN), (hello, link) -> {
            if (hello.role() != Role.CLIENT) {
                throw new Acceptor.RefusedException("clients only");
            }
            return ClientSession.accept(cluster.service(), gather, self[0].address(), "test-scheduler", hello, link);
        });
        self[0] = server;
    }

    @AfterEach
    void stop() {
        gate.countDown();
        clients.forEach(Client::close);
        server.close();
        transport.close();
        cluster.close();
    }

    private Client connect() {
        Client c = Client.connect(server.address(), ClientOptions.defaults().withToken(TOKEN));
        clients.add(c);
        return c;
    }

    private boolean schedulerHasNoTasks() {
        return cluster.scheduler().query(s -> s.tasks().isEmpty()).join();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(10);
        }
    }

    @Test
    void aGraphWithDependenciesRunsAndItsValuesComeBack() {
        Client c = connect();
        WeftFuture a = c.submit("inc", 1);
        WeftFuture b = c.submit("add", a, 10);
        assertEquals(12L, b.get(20, TimeUnit.SECONDS));
        List<WeftFuture> mapped = c.map("inc", List.of(1, 2, 3));
        assertEquals(List.of(2L, 3L, 4L), c.gather(mapped, 20, TimeUnit.SECONDS));

        Map<String, Object> value = Map.of("s", "text", "n", 7L, "d", 2.5, "list", List.of("x", 1L, true),
                "nested", Map.of("k", List.of(Map.of("deep", "yes"))));
        assertEquals(value, c.submit("identity", value).get(20, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, (byte[]) c.submit("identity", (Object) new byte[] {0, 1, 2, (byte) 255})
                .get(20, TimeUnit.SECONDS));
        // a ref nested in a list and a map of another task's arguments is resolved on the worker
        WeftFuture summed = c.submit("sum", List.of(a, b, 100));
        assertEquals(2L + 12L + 100L, summed.get(20, TimeUnit.SECONDS));
        WeftFuture wrapped = c.submit("identity", Map.of("a", a, "list", List.of(b)));
        assertEquals(Map.of("a", 2L, "list", List.of(12L)), wrapped.get(20, TimeUnit.SECONDS));
    }

    @Test
    void anErringTaskFailsItsFutureAndItsDependentsWithTheWorkersException() {
        Client c = connect();
        WeftFuture bad = c.submit("fail", "broken on purpose");
        WeftFuture dependent = c.submit("inc", bad);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> bad.get(20, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("broken on purpose"), e.getMessage());
        TaskFailedException d = assertThrows(TaskFailedException.class, () -> dependent.get(20, TimeUnit.SECONDS));
        assertEquals(bad.key(), d.blamedKey());
        assertEquals(FutureStatus.ERROR, bad.status());
    }

    @Test
    void aRejectedGraphAndAResultThatCannotCrossProcessesSayWhy() {
        Client c = connect();
        GraphRejectedException rejected = assertThrows(GraphRejectedException.class,
                () -> c.submit("inc", new TaskRef("no-such-key")));
        assertTrue(rejected.getMessage().contains("no-such-key"), rejected.getMessage());
        WeftFuture object = c.submit("object");
        WeftException e = assertThrows(WeftException.class, () -> object.get(20, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    @Test
    void cancelAndReleaseLetTheSchedulerForgetTheKeys() throws Exception {
        Client c = connect();
        WeftFuture gated = c.submit("gate", 1);
        WeftFuture after = c.submit("inc", gated);
        c.cancel(List.of(gated));
        awaitTrue(() -> after.status() == FutureStatus.CANCELLED, "the dependent is cancelled");
        assertEquals(FutureStatus.CANCELLED, gated.status());
        awaitTrue(this::schedulerHasNoTasks, "the scheduler forgot the cancelled keys");

        WeftFuture done = c.submit("inc", 5);
        assertEquals(6L, done.get(20, TimeUnit.SECONDS));
        assertFalse(schedulerHasNoTasks());
        c.release(List.of(done));
        awaitTrue(this::schedulerHasNoTasks, "the scheduler forgot the released key");
    }

    @Test
    void closingTheClientReleasesWhatItWanted() throws Exception {
        Client c = connect();
        assertEquals(2L, c.submit("inc", 1).get(20, TimeUnit.SECONDS));
        c.close();
        awaitTrue(this::schedulerHasNoTasks, "the scheduler released the closed client's keys");
        awaitTrue(() -> ((Number) cluster.scheduler().query(s -> s.identity().get("clients")).join()).intValue() == 0,
                "the client left");
    }

    @Test
    void whenTheServerGoesAwayPendingFuturesAndCallsFailInsteadOfHanging() throws Exception {
        Client c = connect();
        WeftFuture gated = c.submit("gate", 1);
        server.close();
        KeyLostException lost = assertThrows(KeyLostException.class, () -> gated.get(20, TimeUnit.SECONDS));
        assertEquals(FutureStatus.LOST, gated.status());
        assertTrue(lost.getMessage().contains("closed"), lost.getMessage());
        assertThrows(IllegalStateException.class, c::identity);
        assertThrows(IllegalStateException.class, () -> c.submit("inc", 1));
    }

    @Test
    void identityStoryAndRunOnScheduler() {
        Client c = connect();
        Map<String, Object> identity = c.identity();
        assertEquals("Scheduler", identity.get("type"));
        assertEquals(server.address(), identity.get("address"));
        assertEquals(1L, ((Number) identity.get("clients")).longValue());

        WeftFuture f = c.submit(TaskOptions.key("story-key"), "inc", 1);
        assertEquals(2L, f.get(20, TimeUnit.SECONDS));
        List<StoryEntry> story = c.story("story-key");
        assertTrue(story.stream().anyMatch(e -> e.where().equals("scheduler") && e.finish().equals("memory")), story.toString());
        assertTrue(story.stream().anyMatch(e -> e.where().startsWith("inproc://worker-")), story.toString());
        for (int i = 1; i < story.size(); i++) {
            assertTrue(story.get(i - 1).timestampMillis() <= story.get(i).timestampMillis(), "oldest first: " + story);
        }

        assertEquals(42L, c.runOnScheduler("inc", 41));
        assertThrows(IllegalArgumentException.class, () -> c.runOnScheduler("no-such-function"));
        assertTrue(c.workersToClose(1).size() <= 1);
        assertTrue(c.adaptiveTarget() >= 0);
    }

    @Test
    void eventsAreLoggedReadAndPushedToSubscribers() throws Exception {
        Client c = connect();
        Client other = connect();
        BlockingQueue<TopicEvent> got = new LinkedBlockingQueue<>();
        other.subscribeTopic("news", got::add);
        c.logEvent("news", Map.of("headline", "remote clients work", "n", 1L));
        TopicEvent pushed = got.poll(20, TimeUnit.SECONDS);
        assertEquals("news", pushed.topic());
        assertEquals(Map.of("headline", "remote clients work", "n", 1L), pushed.message());
        List<TopicEvent> events = c.events("news");
        assertEquals(1, events.size());
        assertEquals(pushed, events.get(0));
        other.unsubscribeTopic("news");
        assertThrows(IllegalArgumentException.class, () -> c.logEvent("", "an empty topic"));
    }

    @Test
    void aWrongTokenOrAMalformedAddressIsRefusedClearly() {
        WeftException refused = assertThrows(WeftException.class,
                () -> Client.connect(server.address(), ClientOptions.defaults().withToken("wrong")));
        assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> Client.connect("127.0.0.1:8786"));
        assertTrue(malformed.getMessage().contains("tcp://host:port"), malformed.getMessage());
    }

    @Test
    void aSecondClientWithTheIdOfAConnectedOneIsRefusedAndTheFirstKeepsItsKeys() throws Exception {
        ClientListener quiet = new ClientListener() {
            @Override
            public void keyInMemory(String key) {
            }

            @Override
            public void keyErred(String key, String exceptionText, String traceback, String blamedKey) {
            }

            @Override
            public void keyForgotten(String key, String reason) {
            }

            @Override
            public void connectionLost(String reason) {
            }
        };
        RemoteSchedulerConnection first = RemoteSchedulerConnection.create(server.address(),
                ClientOptions.defaults().withToken(TOKEN));
        first.open("same-id", quiet);
        try {
            first.updateGraph(List.of(new TaskSpec("held", "identity", List.of(7L))),
                    java.util.Set.of("held"));
            awaitTrue(() -> cluster.scheduler().query(s -> s.tasks().containsKey("held")).join(), "the first client's key");

            RemoteSchedulerConnection second = RemoteSchedulerConnection.create(server.address(),
                    ClientOptions.defaults().withToken(TOKEN));
            WeftException refused = assertThrows(WeftException.class, () -> second.open("same-id", quiet));
            assertTrue(refused.getMessage().contains("refused") && refused.getMessage().contains("already connected"),
                    refused.getMessage());
            second.close();
            Thread.sleep(200);
            assertTrue(cluster.scheduler().query(s -> s.tasks().containsKey("held")).join(),
                    "the refused client's leaving must not release the connected one's keys");
        } finally {
            first.close();
        }
        awaitTrue(this::schedulerHasNoTasks, "the first client's keys released when it left");
        // the id is free again once its holder left
        RemoteSchedulerConnection again = RemoteSchedulerConnection.create(server.address(),
                ClientOptions.defaults().withToken(TOKEN));
        awaitTrue(() -> {
            try {
                again.open("same-id", quiet);
                return true;
            } catch (WeftException e) {
                return false;
            }
        }, "the id can be used again after its client left");
        again.close();
    }

    // ---------------------------------------------------------------- weft submit

    private record Run(int status, String out, String err) {
    }

    private static Run submit(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SubmitMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void submitMainPrintsTheWantedResults(@TempDir Path dir) throws IOException {
        Path graph = Files.writeString(dir.resolve("graph.json"), """
                {"tasks": {"a": {"fn": "inc", "args": [1]},
                           "b": {"fn": "add", "args": [{"ref": "a"}, 10]},
                           "c": {"fn": "identity", "args": ["text"]}},
                 "keys": ["b", "c"]}
                """);
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Run run = submit(graph.toString(), "--scheduler", server.address(), "--token-file", token.toString(),
                "--timeout", "60s");
        assertEquals(0, run.status(), run.err());
        assertEquals(List.of("b = 12", "c = text"), run.out().lines().toList());
        assertTrue(run.err().contains("100%"), run.err());
    }

    @Test
    void submitMainReportsAFailedTaskAndReturnsNonZero(@TempDir Path dir) throws IOException {
        Path graph = Files.writeString(dir.resolve("graph.json"), """
                {"tasks": {"ok": {"fn": "inc", "args": [1]}, "bad": {"fn": "fail", "args": ["no luck"]}},
                 "keys": ["ok", "bad"]}
                """);
        Path token = Files.writeString(dir.resolve("token"), TOKEN);
        Run run = submit(graph.toString(), "--scheduler", server.address(), "--token-file", token.toString());
        assertEquals(1, run.status());
        List<String> lines = run.out().lines().toList();
        assertEquals("ok = 2", lines.get(0));
        assertTrue(lines.get(1).startsWith("bad: ERROR") && lines.get(1).contains("no luck"), run.out());
    }

    @Test
    void submitMainGivesUpAfterItsTimeoutAndSaysWhatIsNotDone(@TempDir Path dir) throws IOException {
        Path graph = Files.writeString(dir.resolve("graph.json"), """
                {"tasks": {"quick": {"fn": "inc", "args": [1]}, "stuck": {"fn": "gate", "args": [1]}},
                 "keys": ["quick", "stuck"]}
                """);
        Path token = Files.writeString(dir.resolve("token"), TOKEN);
        Run run = submit(graph.toString(), "--scheduler", server.address(), "--token-file", token.toString(),
                "--timeout", "3s"); // long enough for "quick" on a loaded machine
        assertEquals(1, run.status());
        assertEquals(List.of("quick = 2", "stuck: PENDING (not done after 3s)"), run.out().lines().toList());
        assertTrue(run.err().contains("timed out after 3s"), run.err());
        assertFalse(run.err().matches("(?s).*[1-9] erred.*"), // the progress bar's "  1 erred"
                "closing the client after the timeout is not shown as progress: " + run.err());
    }

    @Test
    void submitMainSaysWhenTheSchedulerCannotBeReachedOrTheFileRead(@TempDir Path dir) throws IOException {
        Path graph = Files.writeString(dir.resolve("graph.json"), "{\"tasks\": {\"a\": {\"fn\": \"inc\", \"args\": [1]}}}");
        NettyServer gone;
        try (NettyTransport other = new NettyTransport(1)) {
            gone = other.listen("127.0.0.1", 0, TransportConfig.defaults(), (h, l) -> {
                throw new Acceptor.RefusedException("unused");
            });
            gone.close();
        }
        Run unreachable = submit(graph.toString(), "--scheduler", gone.address());
        assertEquals(3, unreachable.status());
        assertTrue(unreachable.err().contains("cannot connect to the scheduler at " + gone.address()), unreachable.err());
        assertEquals("", unreachable.out());

        Run refused = submit(graph.toString(), "--scheduler", server.address());
        assertEquals(3, refused.status());
        assertTrue(refused.err().contains("refused"), refused.err());

        Run malformed = submit(graph.toString(), "--scheduler", "localhost");
        assertEquals(2, malformed.status());
        assertTrue(malformed.err().contains("tcp://host:port"), malformed.err());

        Run missing = submit(dir.resolve("nope.json").toString(), "--scheduler", server.address());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope.json: no such file"), missing.err());

        Run usage = submit(graph.toString());
        assertEquals(2, usage.status());
        assertTrue(usage.err().contains("usage: weft submit"), usage.err());
    }
}
