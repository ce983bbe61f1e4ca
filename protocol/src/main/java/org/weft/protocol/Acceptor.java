package org.weft.protocol;

/**
 * Decides, on the listening side, who may connect: sees the peer's {@link Handshake.Hello} before
 * any other message of that peer is read.
 */
public interface Acceptor {

    /**
     * @return how to serve the peer, and the welcome to send it
     * @throws RefusedException to refuse it: the peer gets {@link Handshake.Refused} with the
     *         reason and the link closes
     */
    Accepted accept(Handshake.Hello hello, Link link) throws RefusedException;

    /** What an acceptor answers to a hello it accepts. */
    record Accepted(Handshake.Welcome welcome, LinkHandler handler) {
    }

    /** A refusal, with the reason the peer is told. */
    final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        public RefusedException(String reason) {
            super(reason);
        }
    }
}
