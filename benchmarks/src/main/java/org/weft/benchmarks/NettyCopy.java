package org.weft.benchmarks;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * The yardstick for moving a result between workers: plain Netty on loopback, the NIO transport
 * and the length-prefixed frames Weft's links use, a server and a client each with its own event
 * loop (as two processes would have). {@link #copy} sends a {@code byte[]} from the client's heap
 * as one frame and returns when the server has it as a {@code byte[]} of its own; no protocol, no
 * scheduler. The connection is opened once, outside the timed copies.
 */
final class NettyCopy implements AutoCloseable {

    private final EventLoopGroup serverLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicReference<CompletableFuture<byte[]>> received = new AtomicReference<>();
    private final Channel server;
    private final Channel client;

    NettyCopy(int maxBytes) {
        try {
            server = new ServerBootstrap().group(serverLoop).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(maxBytes + 4, 0, 4, 0, 4));
                            ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                                    byte[] bytes = new byte[frame.readableBytes()];
                                    frame.readBytes(bytes);
                                    received.get().complete(bytes);
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    CompletableFuture<byte[]> f = received.get();
                                    if (f != null) {
                                        f.completeExceptionally(cause);
                                    }
                                    ctx.close();
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            client = new Bootstrap().group(clientLoop).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LengthFieldPrepender(4));
                        }
                    }).connect((InetSocketAddress) server.localAddress()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new Bench.RunFailed("interrupted");
        }
    }

    /** Seconds from writing {@code bytes} until the server holds a copy of all of them. */
    double copy(byte[] bytes, long timeoutSeconds) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        received.set(done);
        long t0 = System.nanoTime();
        client.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        byte[] copy;
        try {
            copy = done.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new Bench.RunFailed("the Netty copy of " + bytes.length + " bytes did not arrive: " + e);
        }
        long t1 = System.nanoTime();
        if (copy.length != bytes.length) {
            throw new Bench.RunFailed("the Netty copy has " + copy.length + " bytes, sent " + bytes.length);
        }
        return (t1 - t0) / 1e9;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close().syncUninterruptibly();
        }
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
