package org.weft.client.remote;

import java.util.concurrent.CompletableFuture;

import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;

/** Opens the one link of a {@link RemoteSchedulerConnection}: the network transport, or a pipe in tests. */
interface Connector {

    /**
     * Connects, says {@code hello}, and completes with the link once the scheduler welcomed it;
     * fails with {@link org.weft.protocol.Acceptor.RefusedException} if the scheduler refused it.
     */
    CompletableFuture<Link> connect(Handshake.Hello hello, LinkHandler handler);

    /** Frees what the connector holds (threads); called once, after the link closed or never opened. */
    void close();
}
