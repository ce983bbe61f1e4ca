package org.weft.protocol;

import java.util.List;

/**
 * One end of a long-lived connection to a peer, over a network or inside one JVM. Thread-safe.
 * Messages are delivered to the peer in the order sent on this link.
 */
public interface Link {

    /** Who is at the other end, e.g. {@code tcp://127.0.0.1:40112}; for logs and errors. */
    String remoteAddress();

    /**
     * Queues messages for the peer. They are sent in batches (a few milliseconds at most, or as
     * soon as the sender's thread has nothing else queued), never blocking the caller; a link
     * whose peer reads too slowly stops reading from its own peer until the backlog drains.
     * Sending on a closed link does nothing.
     */
    void send(List<? extends Message> messages);

    /** {@link #send(List)} of one message. */
    default void send(Message message) {
        send(List.of(message));
    }

    /** Sends what is queued, then {@link Handshake.Error} with this reason if not null, then closes. */
    void close(String reason);

    boolean isOpen();
}
