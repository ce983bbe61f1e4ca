/**
 * The TCP transport: {@link org.weft.protocol.Link}, {@link org.weft.protocol.LinkHandler} and
 * {@link org.weft.protocol.Acceptor} over TCP (optionally TLS) on Netty. {@link
 * org.weft.comm.netty.NettyTransport} listens and connects; each frame on the wire is a 4-byte
 * length and one {@link org.weft.protocol.Codec} batch. Knows nothing of schedulers or workers.
 */
@Export
@Version("0.1.0")
package org.weft.comm.netty;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
