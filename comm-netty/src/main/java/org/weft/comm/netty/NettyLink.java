package org.weft.comm.netty;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.Codec;
import org.weft.protocol.Handshake;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.UnencodableValueException;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

/**
 * One TCP link, either side. Sends are batched as Dask's BatchedSend does: {@link #send} queues and,
 * unless a flush is already pending, schedules one on the channel's event loop; that flush encodes
 * everything queued by then as one frame. While the channel is not writable the queue just grows
 * (nothing is dropped) and is flushed when it becomes writable again.
 */
final class NettyLink implements ClientLink {

    private static final Logger LOG = LoggerFactory.getLogger(NettyLink.class);

    /** How long a closing link waits for its last frame to leave before it closes anyway (a peer that reads nothing). */
    static final long CLOSE_GRACE_MILLIS = 10_000;

    private final Channel channel;
    private final String remoteAddress;
    private final Codec codec;
    private final TransportStats stats;
    private final int maxFrameBytes;
    private final Consumer<NettyLink> onClosed;

    private final Queue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushPending = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private final AtomicBoolean closedReported = new AtomicBoolean();
    private volatile boolean established;
    private volatile LinkHandler handler;
    private volatile Handshake.Welcome welcome;
    /** A frame could not be written (event loop only): the rest of a split batch is not sent. */
    private boolean writeFailed;

    NettyLink(Channel channel, String remoteAddress, Codec codec, TransportStats stats, int maxFrameBytes,
            Consumer<NettyLink> onClosed) {
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        this.codec = codec;
        this.stats = stats;
        this.maxFrameBytes = maxFrameBytes;
        this.onClosed = onClosed;
        channel.closeFuture().addListener(f -> reportClosed());
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Handshake.Welcome welcome() {
        return welcome;
    }

    @Override
    public boolean isOpen() {
        return !closing.get() && channel.isActive();
    }

    Channel channel() {
        return channel;
    }

    LinkHandler handler() {
        return handler;
    }

    boolean isEstablished() {
        return established;
    }

    /** Why the link closed or is closing; null while it is open. */
    String closeReason() {
        return closeReason.get();
    }

    @Override
    public void send(List<? extends Message> messages) {
        for (Message m : messages) {
            Objects.requireNonNull(m, "a message to send is null");
        }
        if (closing.get() || messages.isEmpty()) {
            return;
        }
        queue.addAll(messages);
        if (flushPending.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::flush);
            } catch (RejectedExecutionException e) {
                // the transport is shutting down: the channel closes with it
                flushPending.set(false);
            }
        }
    }

    /** Writes everything queued as one frame (event loop only). */
    void flush() {
        flushPending.set(false);
        if (!established || closing.get() || !channel.isWritable()) {
            return;
        }
        List<Message> batch = drain(new ArrayList<>());
        if (!batch.isEmpty()) {
            write(batch);
        }
    }

    /**
     * The handshake succeeded (event loop only): from now on frames go to {@code linkHandler}. On the
     * listening side the welcome leads the first frame, before whatever the acceptor already sent.
     */
    void establish(LinkHandler linkHandler, Handshake.Welcome theWelcome, boolean sendWelcome) {
        if (closing.get() || !channel.isActive()) {
            return;
        }
        handler = linkHandler;
        welcome = theWelcome;
        established = true;
        stats.increment(Counter.LINKS_OPEN);
        if (sendWelcome) {
            List<Message> batch = new ArrayList<>();
            batch.add(theWelcome);
            write(drain(batch));
        }
    }

    /** Writes a frame ahead of the handshake (the hello), event loop only. */
    void writeNow(Message message) {
        write(List.of(message));
    }

    @Override
    public void close(String reason) {
        closeAfter(reason == null ? "closed by this side" : reason, reason == null ? null : new Handshake.Error(reason));
    }

    /**
     * Closes after what is queued (if the link was established) and then {@code last} (if not null)
     * are written. {@code reason} is what this side's handler is told, unless a reason was already given.
     */
    void closeAfter(String reason, Message last) {
        closeReason.compareAndSet(null, reason);
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        Runnable finish = () -> {
            List<Message> batch = established ? drain(new ArrayList<>()) : new ArrayList<>();
            if (last != null) {
                batch.add(last);
            }
            ChannelFuture written = batch.isEmpty() || !channel.isActive() ? null : write(batch);
            if (written == null) {
                channel.close();
            } else {
                written.addListener(ChannelFutureListener.CLOSE);
                var hardClose = channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                channel.closeFuture().addListener(f -> hardClose.cancel(false));
            }
        };
        if (channel.eventLoop().inEventLoop()) {
            finish.run();
        } else {
            try {
                channel.eventLoop().execute(finish);
            } catch (RejectedExecutionException e) {
                channel.close();
            }
        }
    }

    private List<Message> drain(List<Message> into) {
        for (Message m; (m = queue.poll()) != null;) {
            into.add(m);
        }
        return into;
    }

    /**
     * Encodes {@code batch} as one frame, straight into the channel's buffers ({@link FrameOutput}),
     * and writes it; a batch over the frame limit is split in halves, one message over it closes
     * the link. Event loop only.
     *
     * @return the last write, or null if nothing was written
     */
    private ChannelFuture write(List<Message> batch) {
        FrameOutput out = new FrameOutput(channel.alloc());
        try {
            codec.encode(batch, out);
        } catch (UnencodableValueException e) {
            out.discard();
            failLocally("cannot send a message: " + e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            out.discard();
            failLocally("cannot send a message: " + e);
            return null;
        }
        long length = out.bodyLength();
        if (length > maxFrameBytes) {
            out.discard();
            if (batch.size() == 1) {
                failLocally("a " + Ops.name(batch.get(0)) + " message of " + length
                        + " bytes is over the frame limit of " + maxFrameBytes + " bytes");
                return null;
            }
            int half = batch.size() / 2;
            ChannelFuture first = write(batch.subList(0, half));
            return writeFailed ? first : write(batch.subList(half, batch.size()));
        }
        stats.increment(Counter.FRAMES_OUT);
        stats.add(Counter.BYTES_OUT, length + LinkPipeline.LENGTH_BYTES);
        return channel.writeAndFlush(out.finish());
    }

    /** This side cannot send what it was asked to: tell the peer and close (the frame limit, a value that cannot be encoded). */
    private void failLocally(String reason) {
        writeFailed = true;
        LOG.warn("{}: {}; closing the link", remoteAddress, reason);
        closeReason.compareAndSet(null, reason);
        closing.set(true);
        queue.clear();
        stats.increment(Counter.FRAMES_OUT);
        byte[] error = codec.encode(List.of(new Handshake.Error(reason)));
        stats.add(Counter.BYTES_OUT, error.length + (long) LinkPipeline.LENGTH_BYTES);
        ByteBuf frame = channel.alloc().buffer(LinkPipeline.LENGTH_BYTES + error.length);
        frame.writeInt(error.length).writeBytes(error);
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    }

    private void reportClosed() {
        closing.set(true);
        closeReason.compareAndSet(null, "closed by peer");
        queue.clear();
        onClosed.accept(this);
        LinkHandler h = handler;
        if (established && h != null && closedReported.compareAndSet(false, true)) {
            stats.add(Counter.LINKS_OPEN, -1);
            try {
                h.closed(this, closeReason.get());
            } catch (RuntimeException e) {
                LOG.warn("{}: the link handler failed on close", remoteAddress, e);
            }
        }
    }

    @Override
    public String toString() {
        return "link to " + remoteAddress;
    }
}
