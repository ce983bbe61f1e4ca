package org.weft.comm.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslHandler;

/**
 * The handlers of a link's channel, the same on both sides: [TLS], frames in ({@link FrameDecoder}), the
 * reader. Frames go out with their length prefix already in place ({@link FrameOutput}).
 */
final class LinkPipeline {

    /** Bytes of the length prefix in front of every frame. */
    static final int LENGTH_BYTES = 4;

    private LinkPipeline() {
    }

    static void install(Channel ch, TransportConfig config, SslHandler tls, FrameReader reader) {
        ch.config().setOption(ChannelOption.TCP_NODELAY, true);
        ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
        ch.config().setWriteBufferWaterMark(
                new WriteBufferWaterMark(config.writeBufferLowBytes(), config.writeBufferHighBytes()));
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", tls);
        }
        p.addLast("frames", new FrameDecoder(config.maxFrameBytes()));
        p.addLast("link", reader);
    }
}
