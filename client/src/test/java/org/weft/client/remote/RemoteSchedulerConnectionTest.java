package org.weft.client.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.weft.client.Client;
import org.weft.client.FutureStatus;
import org.weft.client.GraphRejectedException;
import org.weft.client.KeyLostException;
import org.weft.client.TaskFailedException;
import org.weft.client.WeftException;
import org.weft.client.WeftFuture;
import org.weft.client.spi.TopicEvent;
import org.weft.protocol.Acceptor;
import org.weft.protocol.ClientMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.Ref;
import org.weft.protocol.RetireOutcome;
import org.weft.protocol.Role;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.StoryEntry;
import org.weft.protocol.Values;

/** The client's half of the conversation against a scripted scheduler, over a pipe that encodes every frame. */
@Timeout(60)
class RemoteSchedulerConnectionTest {

    /** A scheduler that records what it gets and answers each request with {@link #answer}. */
    static final class ScriptedScheduler implements Acceptor, LinkHandler {
        final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        volatile Handshake.Hello hello;
        volatile Link link;
        volatile Function<Message, SchedulerMessage.Reply> answer = m -> m instanceof ClientMessage.UpdateGraph g
                ? SchedulerMessage.Reply.ok(g.id(), null) : null;

        @Override
        public Accepted accept(Handshake.Hello h, Link l) {
            hello = h;
            link = l;
            return new Accepted(new Handshake.Welcome("scheduler-test", null), this);
        }

        @Override
        public void received(Link from, List<Message> messages) {
            for (Message m : messages) {
                received.add(m);
                SchedulerMessage.Reply reply = answer.apply(m);
                if (reply != null) {
                    from.send(reply);
                }
            }
        }

        @Override
        public void closed(Link from, String reason) {
        }

        <T extends Message> T next(Class<T> type) throws InterruptedException {
            Message m = received.poll(10, TimeUnit.SECONDS);
            assertInstanceOf(type, m);
            return type.cast(m);
        }
    }

    private final ScriptedScheduler scheduler = new ScriptedScheduler();
    private final PipeConnector pipe = new PipeConnector(scheduler);
    private Client client;

    private Client connect() {
        client = Client.connect(new RemoteSchedulerConnection("tcp://scheduler:8786", "s3cret", Duration.ofSeconds(10), pipe));
        return client;
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void helloNamesTheClientAndTheToken() {
        Client c = connect();
        assertEquals(Role.CLIENT, scheduler.hello.role());
        assertEquals(c.id(), scheduler.hello.name());
        assertEquals("s3cret", scheduler.hello.token());
        assertEquals(Handshake.VERSION, scheduler.hello.version());
    }

    @Test
    void aGraphGoesWithRefsAtAnyDepthAndResultsComeBackDecoded() throws Exception {
        Client c = connect();
        WeftFuture a = c.submit("inc", 1);
        ClientMessage.UpdateGraph first = scheduler.next(ClientMessage.UpdateGraph.class);
        assertEquals(List.of(a.key()), first.wanted());
        WeftFuture b = c.submit("sum", List.of(a, Map.of("x", a)), new byte[] {1, 2});
        ClientMessage.UpdateGraph second = scheduler.next(ClientMessage.UpdateGraph.class);
        ClientMessage.Task task = second.tasks().get(0);
        assertEquals("sum", task.function());
        assertEquals(List.of(new Ref(a.key()), Map.of("x", new Ref(a.key()))), task.args().get(0));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) task.args().get(1));

        Map<String, Object> value = Map.of("n", 3, "list", List.of("s", 1.5), "bytes", new byte[] {7});
        scheduler.answer = m -> m instanceof ClientMessage.Call call && call.method().equals(ClientWire.GATHER)
                ? SchedulerMessage.Reply.ok(call.id(), Map.of(b.key(), Values.encode(value))) : null;
        scheduler.link.send(new SchedulerMessage.KeyInMemory(b.key()));
        @SuppressWarnings("unchecked")
        Map<String, Object> got = (Map<String, Object>) b.get(10, TimeUnit.SECONDS);
        assertEquals(3L, got.get("n")); // integers read back as Long
        assertEquals(List.of("s", 1.5), got.get("list"));
        assertArrayEquals(new byte[] {7}, (byte[]) got.get("bytes"));
        ClientMessage.Call gather = scheduler.next(ClientMessage.Call.class);
        assertEquals(Map.of("keys", List.of(b.key())), gather.params());
    }

    @Test
    void keyReportsReachTheFutures() throws Exception {
        Client c = connect();
        WeftFuture a = c.submit("inc", 1);
        WeftFuture b = c.submit("inc", 2);
        scheduler.link.send(List.of(new SchedulerMessage.KeyErred(a.key(), "boom", "trace", a.key()),
                new SchedulerMessage.KeyForgotten(b.key(), "released")));
        TaskFailedException failed = assertThrows(TaskFailedException.class, () -> a.get(10, TimeUnit.SECONDS));
        assertTrue(failed.getMessage().contains("boom"), failed.getMessage());
        assertThrows(KeyLostException.class, () -> b.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aRefusedGraphIsAGraphRejectedExceptionAndOtherErrorsSayTheyCameFromTheScheduler() {
        Client c = connect();
        scheduler.answer = m -> m instanceof ClientMessage.UpdateGraph g
                ? SchedulerMessage.Reply.failed(g.id(), "IllegalArgumentException", "cycle: a -> a") : null;
        GraphRejectedException rejected = assertThrows(GraphRejectedException.class, () -> c.submit("inc", 1));
        assertTrue(rejected.getMessage().contains("cycle"), rejected.getMessage());

        scheduler.answer = m -> m instanceof ClientMessage.Call call
                ? SchedulerMessage.Reply.failed(call.id(), "NullPointerException", "oops") : null;
        WeftException e = assertThrows(WeftException.class, c::identity);
        assertTrue(e.getMessage().contains("scheduler") && e.getMessage().contains("NullPointerException: oops"),
                e.getMessage());
        assertInstanceOf(IllegalStateException.class, RemoteSchedulerConnection.error("IllegalStateException", "x"));
        assertInstanceOf(UnsupportedOperationException.class,
                RemoteSchedulerConnection.error("UnsupportedOperationException", "x"));
    }

    @Test
    void anArgumentThatCannotCrossProcessesIsRefusedBeforeSending() {
        Client c = connect();
        GraphRejectedException e = assertThrows(GraphRejectedException.class, () -> c.submit("inc", new Object()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertTrue(scheduler.received.isEmpty());
    }

    @Test
    void callsCarryTheirParamsAndRecordsComeBackFromMaps() throws Exception {
        Client c = connect();
        StoryEntry entry = new StoryEntry("a", "scheduler", "released", "waiting", "update-graph-1", 1234L);
        RetireOutcome outcome = RetireOutcome.retired("tcp://w:1", Map.of("a", "tcp://w:2"));
        TopicEvent event = new TopicEvent("t", Map.of("k", List.of(1L, 2L)), 99L);
        scheduler.answer = m -> {
            if (!(m instanceof ClientMessage.Call call)) {
                return m instanceof ClientMessage.UpdateGraph g ? SchedulerMessage.Reply.ok(g.id(), null) : null;
            }
            return SchedulerMessage.Reply.ok(call.id(), switch (call.method()) {
                case ClientWire.STORY -> ClientWire.toMaps(List.of(entry));
                case ClientWire.RETIRE_WORKERS -> ClientWire.toMaps(List.of(outcome));
                case ClientWire.EVENTS -> ClientWire.toMaps(List.of(event));
                case ClientWire.WORKERS_TO_CLOSE -> List.of("tcp://w:1");
                case ClientWire.ADAPTIVE_TARGET -> 4;
                default -> null;
            });
        };
        assertEquals(List.of(entry), c.story("a"));
        assertEquals(Map.of("keys", List.of("a")), scheduler.next(ClientMessage.Call.class).params());
        assertEquals(List.of(outcome), c.retireWorkers("tcp://w:1"));
        assertEquals(List.of(event), c.events("t"));
        assertEquals(List.of("tcp://w:1"), c.workersToClose(1));
        assertEquals(4, c.adaptiveTarget());
        c.logEvent(List.of("t", "u"), Map.of("m", 1));
        c.cancel(List.of(c.submit("inc", 1)), true);
        List<ClientMessage.Call> calls = scheduler.received.stream().filter(ClientMessage.Call.class::isInstance)
                .map(ClientMessage.Call.class::cast).toList();
        ClientMessage.Call log = calls.stream().filter(x -> x.method().equals(ClientWire.LOG_EVENT)).findFirst().orElseThrow();
        assertEquals(Map.of("topics", List.of("t", "u"), "message", Map.of("m", 1L)), log.params());
        ClientMessage.Call cancel = calls.stream().filter(x -> x.method().equals(ClientWire.CANCEL)).findFirst().orElseThrow();
        assertEquals(true, cancel.params().get("force"));
        ClientMessage.Call close = calls.stream().filter(x -> x.method().equals(ClientWire.WORKERS_TO_CLOSE)).findFirst()
                .orElseThrow();
        assertEquals(1L, close.params().get("n"));
        assertNull(close.params().get("target"));
    }

    @Test
    void subscribedEventsReachTheHandler() throws Exception {
        Client c = connect();
        scheduler.answer = m -> m instanceof ClientMessage.Call call ? SchedulerMessage.Reply.ok(call.id(), null) : null;
        BlockingQueue<TopicEvent> got = new LinkedBlockingQueue<>();
        c.subscribeTopic("t", got::add);
        assertEquals(Map.of("topic", "t"), scheduler.next(ClientMessage.Call.class).params());
        scheduler.link.send(new SchedulerMessage.TopicEvent("t", "hello", 5L));
        assertEquals(new TopicEvent("t", "hello", 5L), got.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void whenTheSchedulerClosesTheLinkWaitingCallsAndPendingKeysFail() throws Exception {
        Client c = connect();
        WeftFuture a = c.submit("inc", 1);
        scheduler.answer = m -> null; // never answers
        java.util.concurrent.CompletableFuture<Object> identity = java.util.concurrent.CompletableFuture.supplyAsync(c::identity);
        scheduler.next(ClientMessage.UpdateGraph.class);
        scheduler.next(ClientMessage.Call.class);
        scheduler.link.close("scheduler shutting down");

        KeyLostException lost = assertThrows(KeyLostException.class, () -> a.get(10, TimeUnit.SECONDS));
        assertTrue(lost.getMessage().contains("scheduler shutting down"), lost.getMessage());
        Exception e = assertThrows(Exception.class, () -> identity.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("scheduler shutting down"), e.getCause().getMessage());
        assertEquals(FutureStatus.LOST, a.status());
        assertThrows(IllegalStateException.class, () -> c.submit("inc", 2));
        assertTrue(pipe.closed, "the connector is freed");
    }

    @Test
    void aRefusalIsAWeftExceptionWithTheReason() {
        PipeConnector refusing = new PipeConnector((hello, link) -> {
            throw new Acceptor.RefusedException("bad token");
        });
        WeftException e = assertThrows(WeftException.class, () -> Client.connect(
                new RemoteSchedulerConnection("tcp://scheduler:8786", null, Duration.ofSeconds(10), refusing)));
        assertTrue(e.getMessage().contains("refused") && e.getMessage().contains("bad token"), e.getMessage());
        assertTrue(refusing.closed);
    }
}
