package org.weft.comm.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.ClientMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Role;
import org.weft.protocol.WorkerMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;

/** Each bad peer gets an Error and is closed, is counted, and a good link on the same server keeps working. */
class BadFramesTest {

    private static final int MAX_FRAME = 1024 * 1024;

    private final NettyTransport clients = new NettyTransport(1);
    private ServerFixture fixture;
    private Recorder good;
    private ClientLink goodLink;

    @BeforeEach
    void start() throws Exception {
        fixture = new ServerFixture(TransportConfig.defaults().withMaxFrameBytes(MAX_FRAME), true);
        good = new Recorder();
        goodLink = fixture.connect(clients, Role.WORKER, good);
    }

    @AfterEach
    void stop() {
        clients.close();
        fixture.close();
    }

    private void assertTheGoodLinkStillWorks() throws InterruptedException {
        WorkerMessage.LongRunning ping = new WorkerMessage.LongRunning("still", "here");
        goodLink.send(ping);
        assertEquals(ping, good.next());
        assertTrue(goodLink.isOpen());
        assertTrue(good.closedReasons.isEmpty());
    }

    private RawPeer welcomedPeer(Role role) throws Exception {
        RawPeer peer = new RawPeer(fixture.server.address());
        peer.shakeHands(Samples.hello(role, "raw"));
        return peer;
    }

    @Test
    void anOversizedLengthIsAnError() throws Exception {
        try (RawPeer peer = welcomedPeer(Role.WORKER)) {
            peer.raw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
            String reason = peer.expectLastWords(Handshake.Error.class).reason();
            assertTrue(reason.contains(Integer.toString(MAX_FRAME)), reason);
        }
        assertEquals(1, fixture.stats().get(Counter.ERRORS_OVERSIZED));
        assertTheGoodLinkStillWorks();
    }

    @Test
    void aFrameJustOverTheLimitIsAnErrorAndOneAtTheLimitIsNot() throws Exception {
        try (RawPeer peer = welcomedPeer(Role.WORKER)) {
            peer.refusedFrame(new byte[MAX_FRAME + 1]);
            peer.expectLastWords(Handshake.Error.class);
        }
        try (RawPeer peer = welcomedPeer(Role.WORKER)) {
            peer.frame(new byte[MAX_FRAME]); // not too long, but zeros are no Smile: malformed
            assertTrue(peer.expectLastWords(Handshake.Error.class).reason().startsWith("malformed frame"));
        }
        assertEquals(1, fixture.stats().get(Counter.ERRORS_OVERSIZED));
        assertEquals(1, fixture.stats().get(Counter.ERRORS_MALFORMED));
    }

    @Test
    void garbageBytesAreAMalformedFrame() throws Exception {
        try (RawPeer peer = welcomedPeer(Role.WORKER)) {
            peer.frame("this is not smile at all".getBytes(StandardCharsets.US_ASCII));
            String reason = peer.expectLastWords(Handshake.Error.class).reason();
            assertTrue(reason.startsWith("malformed frame"), reason);
        }
        assertEquals(1, fixture.stats().get(Counter.ERRORS_MALFORMED));
        assertTheGoodLinkStillWorks();
    }

    @Test
    void garbageInsteadOfAHelloIsAnErrorToo() throws Exception {
        try (RawPeer peer = new RawPeer(fixture.server.address())) {
            peer.frame(new byte[] {1, 2, 3, 4, 5});
            peer.expectLastWords(Handshake.Error.class);
        }
        assertEquals(1, fixture.stats().get(Counter.ERRORS_MALFORMED));
        assertTheGoodLinkStillWorks();
    }

    @Test
    void anUnknownOpIsAnError() throws Exception {
        byte[] nope = new ObjectMapper(new SmileFactory()).writeValueAsBytes(List.of(Map.of("op", "nope", "x", 1)));
        try (RawPeer peer = welcomedPeer(Role.WORKER)) {
            peer.frame(nope);
            String reason = peer.expectLastWords(Handshake.Error.class).reason();
            assertTrue(reason.contains("unknown op") && reason.contains("nope"), reason);
        }
        assertEquals(1, fixture.stats().get(Counter.ERRORS_UNKNOWN_OP));
        assertEquals(0, fixture.stats().get(Counter.ERRORS_MALFORMED));
        assertTheGoodLinkStillWorks();
    }

    @Test
    void aWorkerSendingAClientMessageIsAnError() throws Exception {
        Recorder worker = new Recorder();
        ClientLink link = fixture.connect(clients, Role.WORKER, worker);

        link.send(new ClientMessage.ReleaseKeys(List.of("k")));

        assertEquals("a WORKER may not send release-keys", worker.awaitClosed());
        assertEquals(1, fixture.stats().get(Counter.ERRORS_ROLE));
        Recorder atServer = fixture.accepted.get(1);
        assertEquals("a WORKER may not send release-keys", atServer.awaitClosed());
        assertTrue(atServer.received.isEmpty(), "nothing of the offending frame is delivered");
        assertTheGoodLinkStillWorks();
    }

    @Test
    void aHelloAfterTheHandshakeIsAnError() throws Exception {
        try (RawPeer peer = welcomedPeer(Role.PEER)) {
            peer.send(Samples.hello(Role.SCHEDULER, "again"));
            assertEquals("unexpected hello after the handshake", peer.expectLastWords(Handshake.Error.class).reason());
        }
        assertEquals(1, fixture.stats().get(Counter.ERRORS_HANDSHAKE));
        assertTheGoodLinkStillWorks();
    }
}
