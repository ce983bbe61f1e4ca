package org.weft.client;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A future ended {@link FutureStatus#LOST}: the scheduler forgot its key, the connection went away,
 * or the client was closed ({@link #reason()} is then {@code "client closed"}).
 *
 * @since 1.0
 */
@ProviderType
public class KeyLostException extends WeftException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    /**
     * @param key the lost key
     * @param reason why it was lost
     */
    public KeyLostException(String key, String reason) {
        super("key '" + key + "' lost: " + reason);
        this.key = key;
        this.reason = reason;
    }

    /** The lost key. */
    public String key() {
        return key;
    }

    /** Why it was lost. */
    public String reason() {
        return reason;
    }
}
