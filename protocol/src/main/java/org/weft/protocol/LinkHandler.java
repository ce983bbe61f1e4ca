package org.weft.protocol;

import java.util.List;

/** Receives what arrives on one {@link Link}. Called on the transport's thread: must not block. */
public interface LinkHandler {

    /** One frame's messages, in order. */
    void received(Link link, List<Message> messages);

    /**
     * The link closed: the peer closed it, it broke, or this side closed it. Called once.
     *
     * @param reason why, for logs and for the errors of whatever waited on the link
     */
    void closed(Link link, String reason);
}
