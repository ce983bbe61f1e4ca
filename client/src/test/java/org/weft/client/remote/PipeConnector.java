package org.weft.client.remote;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.weft.protocol.Acceptor;
import org.weft.protocol.Codec;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.ProtocolException;

/**
 * Two links in one JVM whose messages go through the {@link Codec} (as bytes, the way a socket
 * carries them), each side delivered on a thread of its own; the far side is served by an
 * {@link Acceptor}, as a transport's listening side is.
 */
final class PipeConnector implements Connector {

    private static final Codec CODEC = new Codec();

    private final Acceptor acceptor;
    private final ExecutorService toClient = Executors.newSingleThreadExecutor();
    private final ExecutorService toServer = Executors.newSingleThreadExecutor();
    volatile End serverEnd;
    volatile boolean closed;

    PipeConnector(Acceptor acceptor) {
        this.acceptor = acceptor;
    }

    @Override
    public CompletableFuture<Link> connect(Handshake.Hello hello, LinkHandler handler) {
        End client = new End("pipe://scheduler", toServer);
        End server = new End("pipe://client", toClient);
        client.peer = server;
        server.peer = client;
        client.handler = handler;
        serverEnd = server;
        try {
            Acceptor.Accepted accepted = acceptor.accept(roundTrip(hello), server);
            server.handler = accepted.handler();
            return CompletableFuture.completedFuture(client);
        } catch (Acceptor.RefusedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Handshake.Hello roundTrip(Handshake.Hello hello) {
        try {
            return (Handshake.Hello) CODEC.decode(CODEC.encode(List.of(hello))).get(0);
        } catch (ProtocolException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        toClient.shutdown();
        toServer.shutdown();
    }

    /** One side: what it sends is encoded, decoded and handed to the peer's handler on the peer's thread. */
    final class End implements Link {
        private final String remote;
        private final ExecutorService deliverToPeer;
        private final AtomicBoolean open = new AtomicBoolean(true);
        volatile End peer;
        volatile LinkHandler handler;

        End(String remote, ExecutorService deliverToPeer) {
            this.remote = remote;
            this.deliverToPeer = deliverToPeer;
        }

        @Override
        public String remoteAddress() {
            return remote;
        }

        @Override
        public void send(List<? extends Message> messages) {
            if (!open.get()) {
                return;
            }
            byte[] frame = CODEC.encode(messages);
            deliverToPeer.execute(() -> {
                try {
                    if (peer.open.get()) {
                        peer.handler.received(peer, CODEC.decode(frame));
                    }
                } catch (ProtocolException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public void close(String reason) {
            String why = reason == null ? "closed" : reason;
            if (open.compareAndSet(true, false)) {
                deliverToPeer.execute(() -> {
                    if (peer.open.compareAndSet(true, false)) {
                        peer.handler.closed(peer, why);
                    }
                    handler.closed(this, why);
                });
            }
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }
    }
}
