package org.weft.comm.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.Acceptor;
import org.weft.protocol.DataMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.Message;
import org.weft.protocol.Role;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.WorkerMessage;

/** What the sending side does with batches it cannot send as they are, and with failing handlers. */
class SendingTest {

    private final NettyTransport transport = new NettyTransport(1);

    @AfterEach
    void stop() {
        transport.close();
    }

    private static DataMessage.Data data(long id, int bytes) {
        return new DataMessage.Data(id, Map.of("k", new byte[bytes]), List.of());
    }

    @Test
    void aBatchOverTheFrameLimitIsSplitAndOneMessageOverItClosesTheLink() throws Exception {
        try (ServerFixture fixture = new ServerFixture(TransportConfig.defaults(), false)) {
            Recorder client = new Recorder();
            ClientLink link = fixture.connect(transport, TransportConfig.defaults().withMaxFrameBytes(64 * 1024),
                    Samples.hello(Role.WORKER, "w"), client).get(20, TimeUnit.SECONDS);
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(data(i, 10 * 1024));
            }

            link.send(batch);

            Recorder server = fixture.accepted.get(0);
            for (int i = 0; i < 10; i++) {
                assertEquals(i, ((DataMessage.Data) server.next()).id());
            }
            assertTrue(transport.stats().get(Counter.FRAMES_OUT) >= 3, "the hello and at least two halves");

            link.send(data(99, 100 * 1024));

            String reason = client.awaitClosed();
            assertTrue(reason.startsWith("a data message of ") && reason.endsWith("over the frame limit of 65536 bytes"),
                    reason);
            assertEquals(reason, server.awaitClosed());
        }
    }

    @Test
    void aValueTheCodecRefusesClosesTheLinkWithTheReason() throws Exception {
        try (ServerFixture fixture = new ServerFixture(TransportConfig.defaults(), false)) {
            Recorder client = new Recorder();
            ClientLink link = fixture.connect(transport, Role.SCHEDULER, client);

            link.send(SchedulerMessage.Reply.ok(1, new Object()));

            String reason = client.awaitClosed();
            assertTrue(reason.startsWith("cannot send a message: ") && reason.contains("java.lang.Object"), reason);
            assertEquals(reason, fixture.accepted.get(0).awaitClosed());
        }
    }

    @Test
    void whatTheAcceptorSendsFollowsTheWelcomeAndReachesTheHandler() throws Exception {
        Recorder atServer = new Recorder();
        Acceptor acceptor = (hello, link) -> {
            link.send(new SchedulerMessage.KeyInMemory("sent while accepting"));
            return new Acceptor.Accepted(new Handshake.Welcome("s", "tcp://w"), atServer);
        };
        NettyServer server = transport.listen("127.0.0.1", 0, TransportConfig.defaults(), acceptor);
        Recorder client = new Recorder();

        ClientLink link = transport.connect(server.address(), TransportConfig.defaults(), Samples.hello(Role.CLIENT, "c"),
                client).get(20, TimeUnit.SECONDS);

        assertEquals(new Handshake.Welcome("s", "tcp://w"), link.welcome());
        assertEquals(new SchedulerMessage.KeyInMemory("sent while accepting"), client.next());
        assertEquals(2, server.stats().get(Counter.FRAMES_IN) + server.stats().get(Counter.FRAMES_OUT),
                "the hello in, the welcome and the message out in one frame");
        Map<String, Long> snapshot = server.stats().snapshot();
        assertEquals(1L, snapshot.get("connections.accepted"));
        assertEquals(1L, snapshot.get("links.open"));
        assertTrue(snapshot.keySet().containsAll(List.of("refused.token", "errors.role", "bytes.in", "reads.paused")),
                snapshot.toString());
    }

    @Test
    void aHandlerThatThrowsClosesOnlyItsLink() throws Exception {
        try (ServerFixture fixture = new ServerFixture(TransportConfig.defaults(), true)) {
            Recorder good = new Recorder();
            ClientLink goodLink = fixture.connect(transport, Role.WORKER, good);
            Recorder failing = new Recorder() {
                @Override
                public void received(Link from, List<Message> messages) {
                    throw new IllegalStateException("handler bug");
                }
            };
            ClientLink failingLink = fixture.connect(transport, Role.WORKER, failing);

            failingLink.send(new WorkerMessage.LongRunning("k", "s")); // echoed back, and the handler throws

            assertEquals("the link handler failed: java.lang.IllegalStateException: handler bug", failing.awaitClosed());
            assertEquals("the link handler failed: java.lang.IllegalStateException: handler bug",
                    fixture.accepted.get(1).awaitClosed());
            goodLink.send(new WorkerMessage.LongRunning("k", "s"));
            assertInstanceOf(WorkerMessage.LongRunning.class, good.next());
        }
    }
}
