/**
 * Weft's wire protocol: every message between client, scheduler and worker as a record with an
 * op name ({@link org.weft.protocol.Message}), the codec that turns a batch of messages into one
 * frame and back ({@link org.weft.protocol.Codec}), the handshake
 * ({@link org.weft.protocol.Handshake}), the values tasks exchange ({@link org.weft.protocol.Values}),
 * and the seam a transport implements ({@link org.weft.protocol.Link},
 * {@link org.weft.protocol.LinkHandler}, {@link org.weft.protocol.Acceptor}). Pure Java: no OSGi
 * and no network code, so the client jar, the scheduler, the workers and the tests share it.
 * docs/PROTOCOL.md describes the messages for people writing a peer.
 */
@Export
@Version("0.2.0")
package org.weft.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
