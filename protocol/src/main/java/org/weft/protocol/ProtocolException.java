package org.weft.protocol;

/** A peer broke the protocol: a malformed frame, an unknown op, a message its role may not send. */
public class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
