package org.weft.comm.netty;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.Acceptor;
import org.weft.protocol.Codec;
import org.weft.protocol.Handshake;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The connecting side's reader: sends the hello once connected; the first frame must start with a
 * welcome (the link is established, {@code connected} completes, the rest of the frame is
 * delivered), a refusal or an error (the link closes, {@code connected} fails).
 */
final class ClientReader extends FrameReader {

    private final Handshake.Hello hello;
    private final LinkHandler handler;
    private final CompletableFuture<ClientLink> connected;
    private ScheduledFuture<?> welcomeTimeout;

    ClientReader(NettyLink link, TransportStats stats, Codec codec, TransportConfig config, Handshake.Hello hello,
            LinkHandler handler, CompletableFuture<ClientLink> connected) {
        super(link, stats, codec, config);
        this.hello = hello;
        this.handler = handler;
        this.connected = connected;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        link.writeNow(hello);
        welcomeTimeout = ctx.executor().schedule(() -> {
            if (!connected.isDone()) {
                String reason = "no welcome from " + link.remoteAddress() + " within " + config.handshakeTimeoutMillis() + " ms";
                connected.completeExceptionally(new ConnectTimeoutException(reason));
                stats.increment(Counter.ERRORS_HANDSHAKE);
                link.closeAfter(reason, null);
            }
        }, config.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (welcomeTimeout != null) {
            welcomeTimeout.cancel(false);
        }
        if (!connected.isDone()) {
            String reason = link.closeReason() == null ? "closed by peer" : link.closeReason();
            connected.completeExceptionally(new IOException("the connection to " + link.remoteAddress()
                    + " closed before the handshake completed: " + reason, failure));
        }
        ctx.fireChannelInactive();
    }

    @Override
    boolean failsAFutureInstead() {
        return !connected.isDone();
    }

    @Override
    void onBatch(List<Message> batch) {
        if (link.isEstablished()) {
            deliver(batch);
            return;
        }
        Message first = batch.get(0);
        if (first instanceof Handshake.Welcome welcome) {
            welcomeTimeout.cancel(false);
            link.establish(handler, welcome, false);
            if (!connected.complete(link)) {
                link.close("the connect was given up");
                return;
            }
            if (batch.size() > 1 && link.isOpen()) {
                deliver(new ArrayList<>(batch.subList(1, batch.size())));
            }
        } else if (first instanceof Handshake.Refused refused) {
            connected.completeExceptionally(new Acceptor.RefusedException(refused.reason()));
            link.closeAfter(refused.reason(), null);
        } else if (first instanceof Handshake.Error error) {
            connected.completeExceptionally(new IOException(link.remoteAddress() + " broke off the handshake: " + error.reason()));
            link.closeAfter(error.reason(), null);
        } else {
            String reason = "expected a welcome, got " + Ops.name(first);
            connected.completeExceptionally(new IOException(link.remoteAddress() + ": " + reason));
            protocolError(Counter.ERRORS_HANDSHAKE, reason);
        }
    }
}
