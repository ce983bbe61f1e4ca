package org.weft.comm.netty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.Acceptor;
import org.weft.protocol.Codec;
import org.weft.protocol.Handshake;
import org.weft.protocol.Message;
import org.weft.protocol.Role;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The listening side's reader: the first frame must be a hello alone; its version, then the token,
 * then the acceptor decide. After the welcome every message must be one the hello's role may send.
 */
final class ServerReader extends FrameReader {

    private final Acceptor acceptor;
    private Role role;
    private ScheduledFuture<?> helloTimeout;

    ServerReader(NettyLink link, TransportStats stats, Codec codec, TransportConfig config, Acceptor acceptor) {
        super(link, stats, codec, config);
        this.acceptor = acceptor;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        helloTimeout = ctx.executor().schedule(() -> {
            if (role == null) {
                protocolError(Counter.ERRORS_HANDSHAKE, "no hello within " + config.handshakeTimeoutMillis() + " ms");
            }
        }, config.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    void onBatch(List<Message> batch) {
        if (role == null) {
            handshake(batch);
            return;
        }
        for (Message m : batch) {
            if (!role.maySend(m)) {
                protocolError(Counter.ERRORS_ROLE, "a " + role + " may not send " + Ops.name(m));
                return;
            }
        }
        deliver(batch);
    }

    private void handshake(List<Message> batch) {
        if (batch.size() != 1 || !(batch.get(0) instanceof Handshake.Hello hello)) {
            protocolError(Counter.ERRORS_HANDSHAKE, "the first frame must hold a hello alone, got "
                    + batch.stream().map(Ops::name).toList());
            return;
        }
        if (hello.role() == null) {
            protocolError(Counter.ERRORS_HANDSHAKE, "a hello without a role");
            return;
        }
        if (hello.version() != Handshake.VERSION) {
            refuse(Counter.REFUSED_VERSION, hello,
                    "protocol version " + hello.version() + ", this side speaks " + Handshake.VERSION);
            return;
        }
        if (config.token() != null) {
            if (hello.token() == null) {
                refuse(Counter.REFUSED_TOKEN, hello, "a token is required");
                return;
            }
            if (!sameToken(config.token(), hello.token())) {
                refuse(Counter.REFUSED_TOKEN, hello, "wrong token");
                return;
            }
        }
        Acceptor.Accepted accepted;
        try {
            accepted = acceptor.accept(hello, link);
        } catch (Acceptor.RefusedException e) {
            refuse(Counter.REFUSED_ACCEPTOR, hello, e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.warn("{}: the acceptor failed on the hello of {} {}", link.remoteAddress(), hello.role(), hello.name(), e);
            refuse(Counter.REFUSED_ACCEPTOR, hello, "the acceptor failed: " + e);
            return;
        }
        if (accepted == null || accepted.welcome() == null || accepted.handler() == null) {
            refuse(Counter.REFUSED_ACCEPTOR, hello, "the acceptor gave no welcome or no handler");
            return;
        }
        helloTimeout.cancel(false);
        role = hello.role();
        stats.increment(Counter.CONNECTIONS_ACCEPTED);
        LOG.debug("{}: accepted {} {}", link.remoteAddress(), hello.role(), hello.name());
        link.establish(accepted.handler(), accepted.welcome(), true);
    }

    private void refuse(Counter kind, Handshake.Hello hello, String reason) {
        if (!link.isOpen()) {
            return;
        }
        stats.increment(kind);
        warnOnce("refused the hello of " + hello.role() + " '" + hello.name() + "': " + reason);
        link.closeAfter(reason, new Handshake.Refused(reason));
    }

    /** Compares digests, so the time taken says nothing about the expected token, not even its length. */
    private static boolean sameToken(String expected, String given) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] a = sha.digest(expected.getBytes(StandardCharsets.UTF_8));
            byte[] b = sha.digest(given.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(a, b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
