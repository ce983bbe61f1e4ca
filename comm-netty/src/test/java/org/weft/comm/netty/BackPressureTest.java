package org.weft.comm.netty;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.Acceptor;
import org.weft.protocol.DataMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.Role;

class BackPressureTest {

    private static final int REPLY_BYTES = 256 * 1024;

    /** Answers every GetData with a 256 KiB Data, counting the requests it read. */
    private static final class DataServer implements LinkHandler {
        final AtomicInteger requests = new AtomicInteger();

        @Override
        public void received(Link link, List<Message> messages) {
            for (Message m : messages) {
                DataMessage.GetData get = (DataMessage.GetData) m;
                requests.incrementAndGet();
                link.send(new DataMessage.Data(get.id(), Map.of("k", new byte[REPLY_BYTES]), List.of()));
            }
        }

        @Override
        public void closed(Link link, String reason) {
        }
    }

    @Test
    void aPeerThatDoesNotReadItsRepliesIsNotReadFromUntilItDoes() throws Exception {
        DataServer handler = new DataServer();
        Acceptor acceptor = (hello, link) -> new Acceptor.Accepted(new Handshake.Welcome("w", null), handler);
        try (NettyTransport transport = new NettyTransport(1)) {
            NettyServer server = transport.listen("127.0.0.1", 0,
                    TransportConfig.defaults().withWriteBuffer(16 * 1024, 64 * 1024), acceptor);
            try (RawPeer peer = new RawPeer(server.address(), 64 * 1024)) {
                peer.shakeHands(Samples.hello(Role.PEER, "slow reader"));
                var channel = server.links().get(0).channel();

                // ask, never reading the answers, until the server stops reading (500 x 256 KiB is far past any socket buffer)
                int sent = 0;
                while (channel.config().isAutoRead() && sent < 500) {
                    peer.send(new DataMessage.GetData(sent, List.of("k")));
                    int asked = ++sent;
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> handler.requests.get() == asked || !channel.config().isAutoRead());
                }
                assertTrue(sent < 500, "the server kept reading from a peer that reads nothing");
                assertTrue(server.stats().get(Counter.READS_PAUSED) >= 1);

                int next = 0; // nothing was dropped, and the order holds
                while (next < sent) {
                    List<Message> frame = peer.read();
                    assertNotNull(frame, "closed before answer " + next);
                    for (Message m : frame) {
                        DataMessage.Data data = assertInstanceOf(DataMessage.Data.class, m);
                        assertEquals(next++, data.id());
                        assertEquals(REPLY_BYTES, data.data().get("k").length);
                    }
                }
                assertEquals(sent, handler.requests.get());
                assertTrue(channel.config().isAutoRead(), "reading resumed");
            }
        }
    }
}
