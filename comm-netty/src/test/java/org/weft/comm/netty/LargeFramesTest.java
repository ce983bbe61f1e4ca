package org.weft.comm.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.DataMessage;
import org.weft.protocol.Role;
import org.weft.protocol.WorkerMessage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Frames larger than one read, both ways: encoded straight into the channel's buffers
 * ({@link FrameOutput}) and gathered into one buffer of their full length ({@link FrameDecoder}).
 */
class LargeFramesTest {

    private final NettyTransport transport = new NettyTransport(1);

    @AfterEach
    void stop() {
        transport.close();
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aResultOfManyMegabytesArrivesWholeAndAfterItTheSmallMessagesStillDo() throws Exception {
        try (ServerFixture fixture = new ServerFixture(TransportConfig.defaults(), false)) {
            Recorder client = new Recorder();
            ClientLink link = fixture.connect(transport, Role.WORKER, client);
            byte[] big = randomBytes(20 * 1024 * 1024 + 7, 1);
            byte[] medium = randomBytes(100 * 1024, 2);

            link.send(List.of(new DataMessage.Data(1, Map.of("big", big, "medium", medium), List.of("gone")),
                    new WorkerMessage.Heartbeat(Map.of())));
            link.send(new WorkerMessage.Heartbeat(Map.of("after", "yes")));

            Recorder server = fixture.accepted.get(0);
            DataMessage.Data data = assertInstanceOf(DataMessage.Data.class, server.next());
            assertArrayEquals(big, data.data().get("big"));
            assertArrayEquals(medium, data.data().get("medium"));
            assertEquals(List.of("gone"), data.missing());
            assertEquals(Map.of(), assertInstanceOf(WorkerMessage.Heartbeat.class, server.next()).metrics());
            assertEquals(Map.of("after", "yes"), assertInstanceOf(WorkerMessage.Heartbeat.class, server.next()).metrics());
            assertTrue(link.isOpen());
            long sent = transport.stats().get(Counter.BYTES_OUT);
            assertTrue(sent > big.length + medium.length, "bytes out " + sent);
            org.awaitility.Awaitility.await().until(() -> fixture.stats().get(Counter.BYTES_IN) == sent);
        }
    }

    @Test
    void aFrameIsCutRightWhereverItsBytesArePartedInReads() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1024));
        byte[] first = randomBytes(300, 3);
        byte[] second = randomBytes(5, 4);
        byte[] empty = new byte[0];
        ByteBuf wire = Unpooled.buffer();
        for (byte[] frame : List.of(first, second, empty, first)) {
            wire.writeInt(frame.length).writeBytes(frame);
        }
        byte[] all = new byte[wire.readableBytes()];
        wire.readBytes(all);

        for (int cut : new int[] {1, 2, 3, 5, 7, 64, 301, all.length}) {
            for (int at = 0; at < all.length; at += cut) {
                channel.writeInbound(Unpooled.wrappedBuffer(all, at, Math.min(cut, all.length - at)));
            }
            List<byte[]> frames = new ArrayList<>();
            for (ByteBuf f; (f = channel.readInbound()) != null;) {
                byte[] b = new byte[f.readableBytes()];
                f.readBytes(b);
                f.release();
                frames.add(b);
            }
            assertEquals(4, frames.size(), "reads of " + cut + " bytes");
            assertArrayEquals(first, frames.get(0));
            assertArrayEquals(second, frames.get(1));
            assertArrayEquals(empty, frames.get(2));
            assertArrayEquals(first, frames.get(3));
        }
        assertFalse(channel.finish());
    }

    @Test
    void aLengthOverTheLimitOrNegativeFailsAndWhatFollowsIsDropped() {
        EmbeddedChannel tooLong = new EmbeddedChannel(new FrameDecoder(1024));
        assertThrows(TooLongFrameException.class, () -> tooLong.writeInbound(Unpooled.buffer().writeInt(1025).writeZero(8)));
        tooLong.writeInbound(Unpooled.buffer().writeInt(4).writeInt(1));
        assertNull(tooLong.readInbound());

        EmbeddedChannel negative = new EmbeddedChannel(new FrameDecoder(1024));
        assertThrows(CorruptedFrameException.class, () -> negative.writeInbound(Unpooled.buffer().writeInt(-1)));

        EmbeddedChannel atTheLimit = new EmbeddedChannel(new FrameDecoder(1024));
        atTheLimit.writeInbound(Unpooled.buffer().writeInt(1024).writeZero(1024));
        ByteBuf frame = atTheLimit.readInbound();
        assertEquals(1024, frame.readableBytes());
        frame.release();
    }

    @Test
    void aFrameIsWrittenWithItsLengthInFrontWhateverTheSizesOfTheWrites() throws Exception {
        byte[] small = randomBytes(3000, 5);
        byte[] large = randomBytes(200 * 1024, 6);
        FrameOutput out = new FrameOutput(ByteBufAllocator.DEFAULT);
        out.write(7);
        for (int i = 0; i < 10; i++) {
            out.write(small); // past the first chunks
        }
        out.write(large); // a buffer of its own
        out.write(small, 1, 2);
        ByteBuf frame = out.finish();
        try {
            int body = 1 + 10 * small.length + large.length + 2;
            assertEquals(4 + body, frame.readableBytes());
            assertEquals(body, frame.readInt());
            assertEquals(7, frame.readByte());
            byte[] b = new byte[small.length];
            for (int i = 0; i < 10; i++) {
                frame.readBytes(b);
                assertArrayEquals(small, b);
            }
            byte[] l = new byte[large.length];
            frame.readBytes(l);
            assertArrayEquals(large, l);
            assertEquals(small[1], frame.readByte());
            assertEquals(small[2], frame.readByte());
        } finally {
            frame.release();
        }
    }
}
