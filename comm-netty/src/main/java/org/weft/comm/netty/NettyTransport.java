package org.weft.comm.netty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.weft.protocol.Acceptor;
import org.weft.protocol.Codec;
import org.weft.protocol.Handshake;
import org.weft.protocol.LinkHandler;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * The TCP transport: listens for and opens {@link org.weft.protocol.Link}s, on one Netty event loop
 * group (NIO, daemon threads {@code weft-netty-<n>}). Thread-safe.
 *
 * <p><b>Frames.</b> Each frame on the wire is a 4-byte big-endian length and one {@link Codec}
 * frame (a batch of messages). A frame over {@link TransportConfig#maxFrameBytes()} is refused:
 * the peer gets {@link Handshake.Error} and the link closes. Frames are decoded on the event loop,
 * and {@link LinkHandler#received} and {@link LinkHandler#closed} (once per established link) are
 * called there too, as are {@link Acceptor#accept} and the completion of {@link #connect}: none of
 * them may block.
 *
 * <p><b>Batching.</b> {@link org.weft.protocol.Link#send} never blocks: it queues and, unless a
 * flush is already pending, schedules one on the link's event loop, which writes everything queued
 * by then as one frame. Order per link is kept.
 *
 * <p><b>Back-pressure.</b> Each channel has a write buffer water mark
 * ({@link TransportConfig#writeBufferLowBytes()}, {@link TransportConfig#writeBufferHighBytes()}).
 * When a link's unsent bytes pass the high mark, the link stops reading from its peer until they
 * fall below the low mark, so a peer that does not read our replies is not fed more of our work;
 * meanwhile sends keep queuing (nothing is dropped) and go out as one batch when the channel is
 * writable again. Two peers that both flood each other without reading can stall each other this
 * way; the protocol's request/reply shape (small requests, large replies) avoids it.
 *
 * <p><b>Handshake.</b> The connecting side sends {@link Handshake.Hello}; the listening side checks
 * its version, then the token of its {@link TransportConfig} (if any), then asks the
 * {@link Acceptor}, and answers {@link Handshake.Welcome} or {@link Handshake.Refused}. After that
 * every message a peer sends must be one its role may send ({@link org.weft.protocol.Role#maySend}).
 * A refusal or a protocol error closes that link only, is logged once at WARN with the peer's
 * address and counted in the server's {@link TransportStats}.
 *
 * <p><b>What cannot be sent.</b> A message holding a value the codec refuses
 * ({@link org.weft.protocol.UnencodableValueException}), or one message alone over the frame limit,
 * closes its link with that reason on both sides (a larger batch is split first): check values
 * ({@link org.weft.protocol.Values#check}) before sending them.
 */
public final class NettyTransport implements AutoCloseable {

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** How long {@link #close()} waits for links to say goodbye before the threads stop. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final EventLoopGroup group;
    private final Codec codec = new Codec();
    private final TransportStats stats = new TransportStats();
    private final Set<NettyServer> servers = ConcurrentHashMap.newKeySet();
    private final Set<NettyLink> links = ConcurrentHashMap.newKeySet();
    private final Map<TlsConfig, SslContext> clientTls = new ConcurrentHashMap<>();
    private final HostResolver resolver;
    private volatile boolean closed;

    /** @param threads event loop threads (each link is served by one) */
    public NettyTransport(int threads) {
        this(threads, InetAddress::getByName);
    }

    /** @param lookup how host names are resolved (off the event loops) */
    NettyTransport(int threads, HostResolver.Lookup lookup) {
        if (threads < 1) {
            throw new IllegalArgumentException("a transport needs at least one thread: " + threads);
        }
        this.resolver = new HostResolver(lookup);
        this.group = new MultiThreadIoEventLoopGroup(threads, runnable -> {
            Thread t = new FastThreadLocalThread(runnable, "weft-netty-" + THREAD_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
    }

    /**
     * Listens on {@code host:port} (port 0: any free port; {@link NettyServer#address()} says which).
     *
     * @throws IOException if the address cannot be bound or the TLS files cannot be read
     */
    public NettyServer listen(String host, int port, TransportConfig config, Acceptor acceptor) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(acceptor, "acceptor");
        TcpAddress at = new TcpAddress(host, port);
        ensureOpen();
        SslContext tls = config.tls() == null ? null : TlsContexts.server(config.tls());
        NettyServer server = NettyServer.bind(group, codec, at, config, acceptor, tls, servers::remove);
        servers.add(server);
        if (closed) {
            server.close("transport closed");
        }
        return server;
    }

    /**
     * Connects to {@code address}, sends {@code hello} (with the config's token if the hello has
     * none) and completes with the link once the peer welcomed it; from then on its frames go to
     * {@code handler}. Fails with {@link Acceptor.RefusedException} (message: the peer's reason) if
     * the peer refused, or with an {@link IOException} if the connection failed, timed out or closed
     * before the welcome, or if its host name cannot be resolved (looked up off the event loops, so
     * a slow name server stalls only this connection). Completes on the transport's thread.
     *
     * @param address {@code tcp://host:port}
     * @throws IllegalArgumentException if {@code address} is not one
     */
    public CompletableFuture<ClientLink> connect(String address, TransportConfig config, Handshake.Hello hello,
            LinkHandler handler) {
        TcpAddress to = TcpAddress.parse(address);
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(hello, "hello");
        Objects.requireNonNull(handler, "handler");
        if (closed) {
            return CompletableFuture.failedFuture(new IOException("the transport is closed"));
        }
        SslContext tls;
        try {
            tls = config.tls() == null ? null : clientTls(config.tls());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        Handshake.Hello sent = hello.token() == null && config.token() != null
                ? new Handshake.Hello(hello.version(), hello.role(), hello.name(), config.token(), hello.info())
                : hello;
        CompletableFuture<ClientLink> connected = new CompletableFuture<>();
        resolver.resolve(to).whenComplete((remote, unresolved) -> {
            if (unresolved != null) {
                failOnLoop(connected, unresolved);
            } else if (!connected.isDone()) {
                open(to, remote, config, tls, sent, handler, connected);
            }
        });
        return connected;
    }

    private void open(TcpAddress to, InetSocketAddress remote, TransportConfig config, SslContext tls, Handshake.Hello sent,
            LinkHandler handler, CompletableFuture<ClientLink> connected) {
        ChannelFuture connecting;
        try {
            connecting = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeoutMillis())
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            NettyLink link = new NettyLink(ch, to.toString(), codec, stats, config.maxFrameBytes(), links::remove);
                            links.add(link);
                            LinkPipeline.install(ch, config, tls == null ? null : tls.newHandler(ch.alloc(), to.host(), to.port()),
                                    new ClientReader(link, stats, codec, config, sent, handler, connected));
                            if (closed) {
                                link.close("transport closed");
                            }
                        }
                    })
                    .connect(remote);
        } catch (RuntimeException e) {
            // the group was shut down between the resolution and now
            connected.completeExceptionally(new IOException("the transport is closed", e));
            return;
        }
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                connected.completeExceptionally(f.cause());
            }
        });
        connected.whenComplete((link, failure) -> {
            if (connected.isCancelled()) {
                connecting.channel().close();
            }
        });
    }

    /** Fails {@code connected} on an event loop, as every other completion of a connect happens there. */
    private void failOnLoop(CompletableFuture<ClientLink> connected, Throwable failure) {
        try {
            group.next().execute(() -> connected.completeExceptionally(failure));
        } catch (RuntimeException closing) {
            connected.completeExceptionally(failure);
        }
    }

    /** Counters of the links this transport opened (each server counts its own). */
    public TransportStats stats() {
        return stats;
    }

    /**
     * Closes every server and link (their handlers hear "transport closed") and stops the threads.
     * Waits a little for the links to close; idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        resolver.close();
        List<Channel> closing = new ArrayList<>();
        for (NettyServer server : List.copyOf(servers)) {
            server.links().forEach(l -> closing.add(l.channel()));
            server.close("transport closed");
        }
        for (NettyLink link : List.copyOf(links)) {
            closing.add(link.channel());
            link.close("transport closed");
        }
        boolean onOurThread = false;
        for (EventExecutor loop : group) {
            onOurThread |= loop.inEventLoop();
        }
        if (!onOurThread) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
            for (Channel ch : closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !ch.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        }
        var terminated = group.shutdownGracefully(0, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (!onOurThread) {
            terminated.awaitUninterruptibly(2 * CLOSE_WAIT_MILLIS);
        }
    }

    private SslContext clientTls(TlsConfig tls) throws IOException {
        SslContext context = clientTls.get(tls);
        if (context == null) {
            context = TlsContexts.client(tls);
            clientTls.putIfAbsent(tls, context);
        }
        return context;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the transport is closed");
        }
    }
}
