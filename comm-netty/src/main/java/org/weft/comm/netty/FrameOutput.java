package org.weft.comm.netty;

import java.io.OutputStream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Where a frame is encoded: its length prefix and body straight into the transport's (direct)
 * buffers, so a frame is not built in a {@code byte[]} and copied again on its way to the socket.
 * Small writes fill chunks that double from 4 KiB up to 1 MiB; a large write (a result's bytes)
 * gets a buffer of its own at its exact size. A frame of more than one chunk is a composite the
 * socket takes with one gathering write, so a large frame is never copied to grow a buffer.
 */
final class FrameOutput extends OutputStream {

    private static final int FIRST_CHUNK = 4 * 1024;
    private static final int LARGEST_CHUNK = 1024 * 1024;
    /** A write at least this long goes into a buffer of its own. */
    private static final int OWN_BUFFER = 64 * 1024;

    private final ByteBufAllocator alloc;
    private ByteBuf chunk;
    private CompositeByteBuf chunks;
    private long length;

    FrameOutput(ByteBufAllocator alloc) {
        this.alloc = alloc;
        this.chunk = alloc.directBuffer(FIRST_CHUNK);
        chunk.writeInt(0); // the length, set by finish()
    }

    @Override
    public void write(int b) {
        if (!chunk.isWritable()) {
            nextChunk(1);
        }
        chunk.writeByte(b);
        length++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        length += len;
        if (len >= OWN_BUFFER) {
            append(chunk);
            ByteBuf own = alloc.directBuffer(len, len);
            own.writeBytes(b, off, len);
            append(own);
            chunk = alloc.directBuffer(FIRST_CHUNK);
            return;
        }
        while (len > 0) {
            if (!chunk.isWritable()) {
                nextChunk(len);
            }
            int n = Math.min(len, chunk.writableBytes());
            chunk.writeBytes(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Bytes of the frame's body so far (the length prefix not counted). */
    long bodyLength() {
        return length;
    }

    /** The whole frame, its length prefix set; this output is spent. */
    ByteBuf finish() {
        if (length > Integer.MAX_VALUE) {
            throw new IllegalStateException("a frame of " + length + " bytes");
        }
        ByteBuf whole;
        if (chunks == null) {
            whole = chunk;
        } else {
            append(chunk);
            whole = chunks;
        }
        chunk = null;
        chunks = null;
        whole.setInt(whole.readerIndex(), (int) length);
        return whole;
    }

    /** Frees the buffers of a frame that will not be sent. */
    void discard() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
        if (chunks != null) {
            chunks.release();
            chunks = null;
        }
    }

    private void nextChunk(int wanted) {
        int size = Math.min(LARGEST_CHUNK, Math.max(chunk.capacity() * 2, wanted));
        append(chunk);
        chunk = alloc.directBuffer(size, size);
    }

    private void append(ByteBuf full) {
        if (!full.isReadable()) {
            full.release();
            return;
        }
        if (chunks == null) {
            chunks = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
        }
        chunks.addComponent(true, full);
    }
}
