package org.weft.client.remote;

import java.util.concurrent.CompletableFuture;

import org.weft.comm.netty.NettyTransport;
import org.weft.comm.netty.TransportConfig;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;

/** Connects over TCP with a transport of one thread, made on connect and closed with the connection. */
final class NettyConnector implements Connector {

    private final String address;
    private final TransportConfig config;
    private NettyTransport transport;

    NettyConnector(String address, TransportConfig config) {
        this.address = address;
        this.config = config;
    }

    @Override
    public synchronized CompletableFuture<Link> connect(Handshake.Hello hello, LinkHandler handler) {
        if (transport == null) {
            transport = new NettyTransport(1);
        }
        return transport.connect(address, config, hello, handler).thenApply(link -> link);
    }

    @Override
    public synchronized void close() {
        if (transport != null) {
            transport.close();
        }
    }
}
