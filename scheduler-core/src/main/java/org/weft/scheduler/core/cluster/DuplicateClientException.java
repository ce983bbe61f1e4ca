package org.weft.scheduler.core.cluster;

/**
 * A client said hello with the id of a client that is still connected. Accepting it would mix the
 * two clients' keys, and the first to leave would release what the other still wants.
 */
public final class DuplicateClientException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public DuplicateClientException(String client) {
        super("a client with id '" + client + "' is already connected");
    }
}
