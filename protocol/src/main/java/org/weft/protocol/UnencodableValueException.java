package org.weft.protocol;

/**
 * A value that cannot cross a process boundary: not JSON-able, not {@code byte[]}, and no
 * serializer takes it. The message names the type and where in the value it was found.
 */
public class UnencodableValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnencodableValueException(String message) {
        super(message);
    }

    public UnencodableValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
