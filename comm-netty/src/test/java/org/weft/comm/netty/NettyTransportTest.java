package org.weft.comm.netty;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.DataMessage;
import org.weft.protocol.Message;
import org.weft.protocol.Role;
import org.weft.protocol.WorkerMessage;

class NettyTransportTest {

    private ServerFixture fixture;
    private NettyTransport clients;

    @BeforeEach
    void start() throws IOException {
        fixture = new ServerFixture(TransportConfig.defaults(), true);
        clients = new NettyTransport(2);
    }

    @AfterEach
    void stop() {
        clients.close();
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void everyMessageKindGoesBothWays(Role role) throws Exception {
        Recorder client = new Recorder();
        ClientLink link = fixture.connect(clients, role, client);
        assertEquals("scheduler-1", link.welcome().schedulerId());
        assertEquals("tcp://seen-as:" + role.name().toLowerCase(), link.welcome().address());

        List<Message> sent = Samples.forRole(role);
        link.send(sent);

        Samples.assertSameMessages(sent, fixture.accepted.get(0).next(sent.size()));
        Samples.assertSameMessages(sent, client.next(sent.size()));
        assertTrue(client.threads.stream().allMatch(t -> t.startsWith("weft-netty-")), client.threads.toString());
    }

    @Test
    void messagesFromFourThreadsKeepEachThreadsOrderAndTravelInFewerFrames() throws Exception {
        ServerFixture quiet = new ServerFixture(TransportConfig.defaults(), false);
        try {
            ClientLink link = quiet.connect(clients, Role.WORKER, new Recorder());
            int perThread = 2_500;
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String name = "sender-" + t;
                Thread sender = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        link.send(new WorkerMessage.LongRunning(name, Integer.toString(i)));
                    }
                }, name);
                sender.start();
                senders.add(sender);
            }
            for (Thread t : senders) {
                t.join();
            }
            Map<String, Integer> nextSeen = new HashMap<>();
            for (Message m : quiet.accepted.get(0).next(4 * perThread)) {
                WorkerMessage.LongRunning r = (WorkerMessage.LongRunning) m;
                int expected = nextSeen.getOrDefault(r.key(), 0);
                assertEquals(expected, Integer.parseInt(r.stimulusId()), "order of " + r.key());
                nextSeen.put(r.key(), expected + 1);
            }
            assertEquals(Map.of("sender-0", perThread, "sender-1", perThread, "sender-2", perThread, "sender-3", perThread),
                    nextSeen);
            long frames = quiet.stats().get(Counter.FRAMES_IN) - 1; // the hello had a frame of its own
            assertTrue(frames < 4 * perThread, "frames: " + frames);
            assertEquals(frames + 1, clients.stats().get(Counter.FRAMES_OUT));
        } finally {
            quiet.close();
        }
    }

    @Test
    void aDataMessageOf64MiBGoesBothWays() throws Exception {
        byte[] payload = new byte[64 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        Recorder client = new Recorder();
        ClientLink link = fixture.connect(clients, Role.WORKER, client);

        link.send(new DataMessage.Data(1, Map.of("big", payload), List.of()));

        DataMessage.Data atServer = (DataMessage.Data) fixture.accepted.get(0).next();
        assertArrayEquals(payload, atServer.data().get("big"));
        DataMessage.Data back = (DataMessage.Data) client.next();
        assertArrayEquals(payload, back.data().get("big"));
    }

    @Test
    void closingOneSideTellsBothHandlersOnceWithTheReason() throws Exception {
        Recorder client = new Recorder();
        ClientLink link = fixture.connect(clients, Role.CLIENT, client);
        assertEquals(1, fixture.stats().get(Counter.LINKS_OPEN));

        link.close("client done");

        assertEquals("client done", client.awaitClosed());
        Recorder server = fixture.accepted.get(0);
        assertEquals("client done", server.awaitClosed());
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.stats().get(Counter.LINKS_OPEN) == 0);
        assertFalse(link.isOpen());
        link.send(new WorkerMessage.LongRunning("k", "s")); // a no-op, no failure
        link.close("again");
        assertEquals(List.of("client done"), client.closedReasons);
        assertEquals(List.of("client done"), server.closedReasons);
    }

    @Test
    void theServerClosingALinkSendsWhatWasQueuedFirst() throws Exception {
        Recorder client = new Recorder();
        fixture.connect(clients, Role.CLIENT, client);
        Recorder server = fixture.accepted.get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.link != null);

        server.link.send(new WorkerMessage.LongRunning("last", "words"));
        server.link.close("retired");

        assertEquals(new WorkerMessage.LongRunning("last", "words"), client.next());
        assertEquals("retired", client.awaitClosed());
        assertEquals("retired", server.awaitClosed());
    }

    @Test
    void aCloseWithoutReasonIsSeenAsClosedByPeer() throws Exception {
        Recorder client = new Recorder();
        ClientLink link = fixture.connect(clients, Role.CLIENT, client);

        link.close(null);

        assertEquals("closed by this side", client.awaitClosed());
        assertEquals("closed by peer", fixture.accepted.get(0).awaitClosed());
    }

    @Test
    void closingTheTransportClosesItsLinksAndTheirPeersHearWhy() throws Exception {
        Recorder client = new Recorder();
        fixture.connect(clients, Role.CLIENT, client);
        Recorder server = fixture.accepted.get(0);

        fixture.close();

        assertEquals("transport closed", server.awaitClosed());
        assertEquals("transport closed", client.awaitClosed());
        assertEquals(List.of("transport closed"), server.closedReasons);
        assertThrows(IOException.class, () -> fixture.transport.listen("127.0.0.1", 0, TransportConfig.defaults(),
                (hello, link) -> null));
    }

    @Test
    void aConnectToNothingFailsWithAnIOException() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        ExecutionException failed = assertThrows(ExecutionException.class, () -> clients
                .connect("tcp://127.0.0.1:" + freePort, TransportConfig.defaults(), Samples.hello(Role.CLIENT, "c"),
                        new Recorder())
                .get(20, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, failed.getCause());
    }

    @Test
    void aMalformedAddressIsRefusedAtOnce() {
        for (String bad : List.of("127.0.0.1:80", "http://127.0.0.1:80", "tcp://127.0.0.1", "tcp://:80", "tcp://h:99999",
                "tcp://h:1/path", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clients.connect(bad,
                    TransportConfig.defaults(), Samples.hello(Role.CLIENT, "c"), new Recorder()), bad);
            assertTrue(e.getMessage().contains("tcp://host:port") || e.getMessage().contains("port"), e.getMessage());
        }
    }

    @Test
    void addressesParseAndPrint() {
        assertEquals(new TcpAddress("10.0.0.1", 8786), TcpAddress.parse("tcp://10.0.0.1:8786"));
        assertEquals(new TcpAddress("::1", 8786), TcpAddress.parse("tcp://[::1]:8786"));
        assertEquals("tcp://[::1]:8786", new TcpAddress("::1", 8786).toString());
        assertTrue(fixture.server.address().matches("tcp://127\\.0\\.0\\.1:\\d+"), fixture.server.address());
        assertTrue(TcpAddress.parse(fixture.server.address()).port() > 0);
    }
}
