package org.weft.comm.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Cuts a link's bytes into frames: a 4-byte big-endian length, then that many bytes. A frame that
 * arrived whole in one read goes on as a slice of it; a longer one is gathered into a heap buffer
 * allocated once at its full length. (Netty's {@code LengthFieldBasedFrameDecoder} grows its
 * buffer 4 MiB at a time above 4 MiB and copies what it holds each time: a 64 MiB result was
 * copied about eight times over on its way in.) A length over the limit is a
 * {@link TooLongFrameException}, a negative one a {@link CorruptedFrameException}; after either
 * the rest is dropped (the link is closing).
 */
final class FrameDecoder extends ChannelInboundHandlerAdapter {

    private final int maxFrameBytes;
    /** The length prefix while it comes in pieces. */
    private int partialLength;
    private int partialLengthBytes;
    /** The frame being gathered; null between frames. */
    private ByteBuf frame;
    private boolean failed;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable() && !failed && ctx.channel().isOpen()) {
                if (frame == null) {
                    int length = readLength(in);
                    if (length < 0) {
                        return; // the prefix is not all here yet
                    }
                    if (in.readableBytes() >= length) {
                        ctx.fireChannelRead(in.readRetainedSlice(length));
                        continue;
                    }
                    frame = ctx.alloc().heapBuffer(length, length);
                }
                frame.writeBytes(in, Math.min(frame.writableBytes(), in.readableBytes()));
                if (!frame.isWritable()) {
                    ByteBuf whole = frame;
                    frame = null;
                    ctx.fireChannelRead(whole);
                }
            }
        } finally {
            in.release();
        }
    }

    /** The next frame's length once its 4 bytes are read, -1 until then; a bad length fails the link. */
    private int readLength(ByteBuf in) {
        int length;
        if (partialLengthBytes == 0 && in.readableBytes() >= LinkPipeline.LENGTH_BYTES) {
            length = in.readInt();
        } else {
            while (partialLengthBytes < LinkPipeline.LENGTH_BYTES && in.isReadable()) {
                partialLength = partialLength << 8 | in.readUnsignedByte();
                partialLengthBytes++;
            }
            if (partialLengthBytes < LinkPipeline.LENGTH_BYTES) {
                return -1;
            }
            length = partialLength;
            partialLength = 0;
            partialLengthBytes = 0;
        }
        if (length < 0) {
            failed = true;
            throw new CorruptedFrameException("negative frame length: " + length);
        }
        if (length > maxFrameBytes) {
            failed = true;
            throw new TooLongFrameException("frame length " + length + " over the limit of " + maxFrameBytes);
        }
        return length;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        dropPartialFrame();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        dropPartialFrame();
    }

    private void dropPartialFrame() {
        if (frame != null) {
            frame.release();
            frame = null;
        }
    }
}
