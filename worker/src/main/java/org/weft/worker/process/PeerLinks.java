package org.weft.worker.process;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.weft.comm.netty.ClientLink;
import org.weft.comm.netty.NettyTransport;
import org.weft.comm.netty.TransportConfig;
import org.weft.protocol.DataMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.ProtocolException;
import org.weft.protocol.Role;
import org.weft.protocol.Values;
import org.weft.worker.PeerData;

/**
 * A worker's connections to its peers, for fetching the results it lacks straight from the worker
 * that holds them (Dask's gather_dep): one long-lived link per peer, opened on first use.
 */
final class PeerLinks implements PeerData, AutoCloseable {

    private final NettyTransport transport;
    private final TransportConfig config;
    private final String self;
    private final WorkerFigures figures;
    private final Map<String, CompletableFuture<ClientLink>> links = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private record Pending(String peer, Consumer<Fetched> data, Consumer<String> failure) {
    }

    PeerLinks(NettyTransport transport, TransportConfig config, String self, WorkerFigures figures) {
        this.figures = figures;
        this.transport = transport;
        this.config = config;
        this.self = self;
    }

    @Override
    public void fetch(String peer, Set<String> keys, Consumer<Map<String, Object>> data, Consumer<String> failure) {
        fetchSized(peer, keys, fetched -> data.accept(fetched.values()), failure);
    }

    /** The sizes are the values' encoded lengths, as the peer sent them. */
    @Override
    public void fetchSized(String peer, Set<String> keys, Consumer<Fetched> data, Consumer<String> failure) {
        long id = ids.incrementAndGet();
        pending.put(id, new Pending(peer, data, failure));
        linkTo(peer).whenComplete((link, error) -> {
            if (error != null) {
                links.remove(peer);
                fail(id, "cannot reach peer " + peer + ": " + rootMessage(error));
            } else {
                link.send(new DataMessage.GetData(id, List.copyOf(keys)));
            }
        });
    }

    private CompletableFuture<ClientLink> linkTo(String peer) {
        return links.computeIfAbsent(peer, p -> transport.connect(p, config,
                new Handshake.Hello(Handshake.VERSION, Role.PEER, self, config.token(), Map.of()), new Replies(p)));
    }

    private void fail(long id, String reason) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.failure.accept(reason);
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public void close() {
        links.values().forEach(f -> f.thenAccept(link -> link.close(null)));
        links.clear();
    }

    /** Answers from one peer. */
    private final class Replies implements LinkHandler {
        private final String peer;

        Replies(String peer) {
            this.peer = peer;
        }

        @Override
        public void received(Link link, List<Message> messages) {
            for (Message m : messages) {
                if (m instanceof DataMessage.Data d) {
                    Pending p = pending.remove(d.id());
                    if (p == null) {
                        continue;
                    }
                    Map<String, Long> sizes = new HashMap<>(d.data().size() * 2);
                    long received = 0;
                    for (Map.Entry<String, byte[]> e : d.data().entrySet()) {
                        sizes.put(e.getKey(), (long) e.getValue().length);
                        received += e.getValue().length;
                    }
                    figures.received(received);
                    Map<String, Object> values;
                    try {
                        values = Values.decodeAll(d.data());
                    } catch (ProtocolException e) {
                        p.failure.accept("peer " + peer + " sent a value that cannot be read: " + e.getMessage());
                        continue;
                    }
                    p.data.accept(new Fetched(values, sizes));
                }
            }
        }

        @Override
        public void closed(Link link, String reason) {
            links.remove(peer);
            pending.entrySet().removeIf(e -> {
                if (e.getValue().peer.equals(peer)) {
                    e.getValue().failure.accept("peer " + peer + " closed the connection: " + reason);
                    return true;
                }
                return false;
            });
        }
    }
}
