package org.weft.comm.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.Acceptor;
import org.weft.protocol.ClientMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Role;
import org.weft.protocol.WorkerMessage;

class HandshakeTest {

    private final NettyTransport clients = new NettyTransport(1);
    private ServerFixture fixture;

    @AfterEach
    void stop() {
        clients.close();
        if (fixture != null) {
            fixture.close();
        }
    }

    private String refusal(TransportConfig clientConfig, Handshake.Hello hello) {
        Recorder handler = new Recorder();
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> fixture.connect(clients, clientConfig, hello, handler).get(20, TimeUnit.SECONDS));
        assertTrue(handler.closedReasons.isEmpty(), "a link never welcomed is not reported closed");
        return assertInstanceOf(Acceptor.RefusedException.class, failed.getCause()).getMessage();
    }

    @Test
    void theAcceptorsRefusalReachesTheClientWithItsReason() throws Exception {
        fixture = new ServerFixture(TransportConfig.defaults(), true, "no room for more workers");

        assertEquals("no room for more workers", refusal(TransportConfig.defaults(), Samples.hello(Role.WORKER, "w")));
        assertEquals(1, fixture.stats().get(Counter.REFUSED_ACCEPTOR));
        assertEquals(0, fixture.stats().get(Counter.CONNECTIONS_ACCEPTED));
        assertEquals(0, fixture.stats().get(Counter.LINKS_OPEN));
    }

    @Test
    void aWrongTokenAndAMissingOneAreRefusedAndTheRightOneIsWelcome() throws Exception {
        TransportConfig withToken = TransportConfig.defaults().withToken("s3cret");
        fixture = new ServerFixture(withToken, true);

        assertEquals("wrong token", refusal(withToken.withToken("guess"), Samples.hello(Role.CLIENT, "c")));
        assertEquals("a token is required", refusal(TransportConfig.defaults(), Samples.hello(Role.CLIENT, "c")));
        assertEquals(2, fixture.stats().get(Counter.REFUSED_TOKEN));

        Recorder client = new Recorder();
        ClientLink link = fixture.connect(clients, Role.CLIENT, client); // the config's token goes into the hello
        link.send(new ClientMessage.ReleaseKeys(List.of("k")));
        assertEquals(new ClientMessage.ReleaseKeys(List.of("k")), client.next());
        assertEquals(1, fixture.stats().get(Counter.CONNECTIONS_ACCEPTED));
        assertTrue(withToken.toString().contains("token=set") && !withToken.toString().contains("s3cret"));
    }

    @Test
    void anotherProtocolVersionIsRefusedNamingBoth() throws Exception {
        fixture = new ServerFixture(TransportConfig.defaults(), true);
        Handshake.Hello future = new Handshake.Hello(Handshake.VERSION + 1, Role.WORKER, "w", null, Map.of());

        assertEquals("protocol version " + (Handshake.VERSION + 1) + ", this side speaks " + Handshake.VERSION,
                refusal(TransportConfig.defaults(), future));
        assertEquals(1, fixture.stats().get(Counter.REFUSED_VERSION));
    }

    @Test
    void aFirstFrameThatIsNotAHelloAloneGetsAnError() throws Exception {
        fixture = new ServerFixture(TransportConfig.defaults(), true);
        try (RawPeer peer = new RawPeer(fixture.server.address())) {
            peer.send(new WorkerMessage.Heartbeat(Map.of()));
            String reason = peer.expectLastWords(Handshake.Error.class).reason();
            assertTrue(reason.contains("hello") && reason.contains("heartbeat"), reason);
        }
        try (RawPeer peer = new RawPeer(fixture.server.address())) {
            peer.send(Samples.hello(Role.WORKER, "w"), new WorkerMessage.Heartbeat(Map.of()));
            peer.expectLastWords(Handshake.Error.class);
        }
        assertEquals(2, fixture.stats().get(Counter.ERRORS_HANDSHAKE));
    }

    @Test
    void aPeerThatSaysNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
        fixture = new ServerFixture(TransportConfig.defaults().withHandshakeTimeoutMillis(200), true);
        try (RawPeer silent = new RawPeer(fixture.server.address())) {
            assertEquals("no hello within 200 ms", silent.expectLastWords(Handshake.Error.class).reason());
        }
        assertEquals(1, fixture.stats().get(Counter.ERRORS_HANDSHAKE));
    }

    @Test
    void aServerThatNeverWelcomesFailsTheConnectAfterTheHandshakeTimeout() throws Exception {
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> clients
                    .connect("tcp://127.0.0.1:" + mute.getLocalPort(),
                            TransportConfig.defaults().withHandshakeTimeoutMillis(300), Samples.hello(Role.CLIENT, "c"),
                            new Recorder())
                    .get(20, TimeUnit.SECONDS));
            assertInstanceOf(java.io.IOException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("no welcome"), failed.getCause().getMessage());
        }
    }

    @Test
    void refusalsLeaveTheOtherLinksAlone() throws Exception {
        fixture = new ServerFixture(TransportConfig.defaults().withToken("t"), true);
        Recorder good = new Recorder();
        ClientLink link = fixture.connect(clients, Role.WORKER, good);

        assertEquals("wrong token", refusal(TransportConfig.defaults().withToken("x"), Samples.hello(Role.WORKER, "bad")));

        link.send(new WorkerMessage.LongRunning("k", "s"));
        assertEquals(new WorkerMessage.LongRunning("k", "s"), good.next());
        assertTrue(link.isOpen());
    }
}
