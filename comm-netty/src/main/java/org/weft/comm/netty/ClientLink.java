package org.weft.comm.netty;

import org.weft.protocol.Handshake;
import org.weft.protocol.Link;

/** A link this side opened: the peer accepted its hello with {@link #welcome()}. */
public interface ClientLink extends Link {

    Handshake.Welcome welcome();
}
