package org.weft.comm.netty;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.weft.protocol.Acceptor;
import org.weft.protocol.Handshake;
import org.weft.protocol.Role;

/**
 * A transport listening on 127.0.0.1 (any port) whose acceptor welcomes every hello with a
 * {@link Recorder} (echoing or not) and keeps them in {@link #accepted}.
 */
final class ServerFixture implements AutoCloseable {

    final NettyTransport transport = new NettyTransport(2);
    final List<Recorder> accepted = new CopyOnWriteArrayList<>();
    final NettyServer server;
    final TransportConfig config;

    ServerFixture(TransportConfig config, boolean echo) throws IOException {
        this(config, echo, null);
    }

    /** @param refusal if not null, every hello is refused with this reason */
    ServerFixture(TransportConfig config, boolean echo, String refusal) throws IOException {
        this.config = config;
        this.server = transport.listen("127.0.0.1", 0, config, (hello, link) -> {
            if (refusal != null) {
                throw new Acceptor.RefusedException(refusal);
            }
            Recorder recorder = new Recorder(echo);
            recorder.link = link;
            accepted.add(recorder);
            return new Acceptor.Accepted(new Handshake.Welcome("scheduler-1", "tcp://seen-as:" + hello.name()), recorder);
        });
    }

    CompletableFuture<ClientLink> connect(NettyTransport from, TransportConfig clientConfig, Handshake.Hello hello,
            Recorder handler) {
        return from.connect(server.address(), clientConfig, hello, handler);
    }

    ClientLink connect(NettyTransport from, Role role, Recorder handler) throws Exception {
        return connect(from, config, Samples.hello(role, role.name().toLowerCase()), handler).get(20, TimeUnit.SECONDS);
    }

    TransportStats stats() {
        return server.stats();
    }

    @Override
    public void close() {
        transport.close();
    }
}
