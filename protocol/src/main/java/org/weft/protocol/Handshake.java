package org.weft.protocol;

import java.util.Map;

/**
 * The first messages on a link. The side that connected sends {@link Hello}; the side that
 * listened answers {@link Welcome} or {@link Refused} and, after a refusal, closes. Nothing else
 * is read from a peer before its hello was accepted. {@link Error} tells a peer why its link is
 * being closed (a malformed frame, an unknown op, a message its role may not send).
 */
public sealed interface Handshake extends Message {

    /** The version of this protocol; a hello with another one is refused. */
    int VERSION = 1;

    /**
     * @param version the protocol version the peer speaks ({@link #VERSION})
     * @param role what the peer is
     * @param name the peer's name (a worker's name, a client's id)
     * @param token the cluster token, or null when the cluster has none
     * @param info role-specific facts: for a worker {@code nthreads}, {@code resources} and
     *        {@code dataAddress} (where it serves its results to peers)
     */
    record Hello(int version, Role role, String name, String token, Map<String, Object> info) implements Handshake {
        public Hello {
            info = info == null ? Map.of() : info;
        }
    }

    /**
     * @param schedulerId the id of the scheduler (or worker) that accepted
     * @param address the address it gave the peer (a worker's address on the scheduler)
     */
    record Welcome(String schedulerId, String address) implements Handshake {
    }

    /** The hello was refused, for this reason; the link closes. */
    record Refused(String reason) implements Handshake {
    }

    /** The peer broke the protocol, for this reason; the link closes. */
    record Error(String reason) implements Handshake {
    }
}
