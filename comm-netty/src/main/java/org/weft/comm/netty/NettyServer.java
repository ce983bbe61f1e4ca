package org.weft.comm.netty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.protocol.Acceptor;
import org.weft.protocol.Codec;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;

/**
 * A listening socket of a {@link NettyTransport}: each connection's hello goes to the acceptor.
 * Counts what happens on its links in {@link #stats()}. Thread-safe.
 */
public final class NettyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NettyServer.class);

    private final Channel channel;
    private final String address;
    private final TransportStats stats;
    private final Set<NettyLink> links;
    private final Consumer<NettyServer> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NettyServer(Channel channel, String address, TransportStats stats, Set<NettyLink> links,
            Consumer<NettyServer> onClose) {
        this.channel = channel;
        this.address = address;
        this.stats = stats;
        this.links = links;
        this.onClose = onClose;
    }

    static NettyServer bind(EventLoopGroup group, Codec codec, TcpAddress at, TransportConfig config, Acceptor acceptor,
            SslContext tls, Consumer<NettyServer> onClose) throws IOException {
        TransportStats stats = new TransportStats();
        Set<NettyLink> links = ConcurrentHashMap.newKeySet();
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
                        String remoteAddress = new TcpAddress(remote.getHostString(), remote.getPort()).toString();
                        NettyLink link = new NettyLink(ch, remoteAddress, codec, stats, config.maxFrameBytes(), links::remove);
                        links.add(link);
                        LinkPipeline.install(ch, config, tls == null ? null : tls.newHandler(ch.alloc()),
                                new ServerReader(link, stats, codec, config, acceptor));
                    }
                })
                .bind(at.host(), at.port())
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen on " + at + ": " + bound.cause().getMessage(), bound.cause());
        }
        InetSocketAddress local = (InetSocketAddress) bound.channel().localAddress();
        String address = new TcpAddress(at.host(), local.getPort()).toString();
        LOG.info("listening on {}{}", address, tls == null ? "" : " (TLS)");
        if (!local.getAddress().isLoopbackAddress() && config.token() == null && tls == null) {
            LOG.warn("{} is reachable from other hosts and has neither a token nor TLS: anyone who reaches it can connect",
                    address);
        }
        return new NettyServer(bound.channel(), address, stats, links, onClose);
    }

    /** {@code tcp://HOST:PORT}: the host asked for, the port bound. */
    public String address() {
        return address;
    }

    public TransportStats stats() {
        return stats;
    }

    /** Links established or shaking hands now. */
    List<NettyLink> links() {
        return List.copyOf(links);
    }

    Channel channel() {
        return channel;
    }

    /** Stops listening and closes every link of this server ("server closed"). */
    @Override
    public void close() {
        close("server closed");
    }

    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ChannelFuture unbound = channel.close();
        for (NettyLink link : links()) {
            link.close(reason);
        }
        if (!channel.eventLoop().inEventLoop()) {
            unbound.awaitUninterruptibly();
        }
        onClose.accept(this);
        LOG.info("stopped listening on {}", address);
    }

    @Override
    public String toString() {
        return "server on " + address;
    }
}
