package org.weft.client;

import java.util.concurrent.CancellationException;

/**
 * A future ended {@link FutureStatus#CANCELLED}: this client cancelled or released it, another
 * client cancelled its key with {@code force}, or the scheduler restarted ({@link #reason()} is then
 * {@code "restart"}).
 *
 * @since 1.2
 */
public class KeyCancelledException extends CancellationException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    /**
     * @param key the cancelled key
     * @param reason why it was cancelled, e.g. {@code "cancelled"}, {@code "released"} or {@code "restart"}
     */
    public KeyCancelledException(String key, String reason) {
        super("key '" + key + "' was cancelled" + ("cancelled".equals(reason) ? "" : " (" + reason + ")"));
        this.key = key;
        this.reason = reason;
    }

    /** The cancelled key. */
    public String key() {
        return key;
    }

    /** Why it was cancelled. */
    public String reason() {
        return reason;
    }
}
