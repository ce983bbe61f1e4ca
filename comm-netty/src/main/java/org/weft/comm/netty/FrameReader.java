package org.weft.comm.netty;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.Codec;
import org.weft.protocol.Handshake;
import org.weft.protocol.Message;
import org.weft.protocol.ProtocolException;

import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * The last handler of a link's pipeline: decodes each frame into a batch on the event loop, turns
 * decoding and framing failures into {@link Handshake.Error} and a closed link, and pauses reading
 * while the link cannot write. Subclasses run the handshake of their side.
 */
abstract class FrameReader extends ChannelInboundHandlerAdapter {

    static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
    /** Refusals and protocol errors: at most 20 lines per 10 s in a process, the rest counted. */
    static final WarnLimiter PEER_WARNINGS = new WarnLimiter(20, 10_000, System::currentTimeMillis);

    final NettyLink link;
    final TransportStats stats;
    final TransportConfig config;
    private final Codec codec;
    private boolean warned;
    private boolean tlsFailed;
    /** The failure that closed the channel, if one did. */
    Throwable failure;

    FrameReader(NettyLink link, TransportStats stats, Codec codec, TransportConfig config) {
        this.link = link;
        this.stats = stats;
        this.codec = codec;
        this.config = config;
    }

    /** One decoded frame, not empty. */
    abstract void onBatch(List<Message> batch);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        List<Message> batch;
        try {
            if (!link.isOpen()) {
                return;
            }
            stats.increment(Counter.FRAMES_IN);
            stats.add(Counter.BYTES_IN, frame.readableBytes() + 4L);
            batch = frame.hasArray()
                    ? codec.decode(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes())
                    : codec.decode(new ByteBufInputStream(frame));
        } catch (ProtocolException e) {
            protocolError(e.getCause() instanceof InvalidTypeIdException ? Counter.ERRORS_UNKNOWN_OP : Counter.ERRORS_MALFORMED,
                    e.getMessage());
            return;
        } finally {
            frame.release();
        }
        if (!batch.isEmpty()) {
            onBatch(batch);
        }
    }

    /**
     * Hands an established link's batch to its handler, up to a handshake message: a peer's
     * {@link Handshake.Error} or {@link Handshake.Refused} closes the link with its text as the
     * reason; a hello or welcome now is a protocol error.
     */
    void deliver(List<Message> batch) {
        int cut = 0;
        while (cut < batch.size() && !(batch.get(cut) instanceof Handshake)) {
            cut++;
        }
        List<Message> plain = cut == batch.size() ? batch : new ArrayList<>(batch.subList(0, cut));
        if (!plain.isEmpty()) {
            try {
                link.handler().received(link, plain);
            } catch (RuntimeException e) {
                LOG.warn("{}: the link handler failed; closing the link", link.remoteAddress(), e);
                String reason = "the link handler failed: " + e;
                link.closeAfter(reason, new Handshake.Error(reason));
                return;
            }
        }
        if (cut < batch.size() && link.isOpen()) {
            Message m = batch.get(cut);
            if (m instanceof Handshake.Error e) {
                link.closeAfter(e.reason(), null);
            } else if (m instanceof Handshake.Refused r) {
                link.closeAfter(r.reason(), null);
            } else {
                protocolError(Counter.ERRORS_HANDSHAKE, "unexpected " + Ops.name(m) + " after the handshake");
            }
        }
    }

    /** The peer broke the protocol: count it, warn once, send it {@link Handshake.Error} and close. */
    void protocolError(Counter kind, String reason) {
        if (!link.isOpen()) {
            return;
        }
        stats.increment(kind);
        warnOnce(reason);
        link.closeAfter(reason, new Handshake.Error(reason));
    }

    void warnOnce(String what) {
        if (!warned) {
            warned = true;
            if (failsAFutureInstead()) {
                LOG.debug("{}: {}; closing the link", link.remoteAddress(), what);
            } else {
                PEER_WARNINGS.warn(link.remoteAddress() + ": " + what + "; closing the link", LOG::warn);
            }
        }
    }

    /** Whether a failure now reaches someone through a failed future (a connect under way): then it is not logged as well. */
    boolean failsAFutureInstead() {
        return false;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        // back-pressure: a peer that does not read what we send is not read from either
        ctx.channel().config().setAutoRead(writable);
        if (!writable) {
            stats.increment(Counter.READS_PAUSED);
        }
        LOG.debug("{}: {} reading", link.remoteAddress(), writable ? "resumed" : "paused");
        if (writable) {
            link.flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            tlsFailed(done.cause());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        if (cause instanceof TooLongFrameException) {
            protocolError(Counter.ERRORS_OVERSIZED, "a frame over the limit of " + config.maxFrameBytes() + " bytes");
        } else if (cause instanceof CorruptedFrameException) {
            protocolError(Counter.ERRORS_MALFORMED, "malformed frame: " + cause.getMessage());
        } else if (cause instanceof NotSslRecordException || hasCause(cause, SSLException.class)) {
            tlsFailed(cause);
        } else {
            String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (cause instanceof IOException) {
                LOG.debug("{}: {}", link.remoteAddress(), reason);
            } else {
                LOG.warn("{}: {}; closing the link", link.remoteAddress(), reason, cause);
            }
            link.closeAfter(reason, null);
        }
    }

    private void tlsFailed(Throwable cause) {
        if (tlsFailed) {
            return;
        }
        tlsFailed = true;
        if (failure == null) {
            failure = cause;
        }
        String reason;
        if (hasCause(cause, NotSslRecordException.class)) {
            // its message holds the bytes received, which may hold a token
            reason = "TLS failed: the peer does not speak TLS";
        } else {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause().getMessage() != null && !(root instanceof SSLException)) {
                root = root.getCause();
            }
            reason = "TLS failed: " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
        }
        stats.increment(Counter.REFUSED_TLS);
        warnOnce(reason);
        link.closeAfter(reason, null);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
