package org.weft.client.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a scheduler tells a client about the keys it wants. Called on a connection thread; must
 * not block.
 */
@ProviderType
public interface ClientListener {

    /** A wanted key's result is in memory on some worker and can be gathered. */
    void keyInMemory(String key);

    /**
     * A wanted key erred.
     *
     * @param key the wanted key
     * @param exceptionText the error message
     * @param traceback the remote stack trace text
     * @param blamedKey the key whose task actually failed (this key or a dependency)
     */
    void keyErred(String key, String exceptionText, String traceback, String blamedKey);

    /**
     * A wanted key was forgotten by the scheduler (released, cancelled, or its client left). The
     * reason {@code "restart"} means the scheduler restarted; the client then marks the future
     * cancelled, as Dask does.
     */
    void keyForgotten(String key, String reason);

    /** The connection to the scheduler is gone; every pending key should fail with this reason. */
    void connectionLost(String reason);

    // ---------------------------------------------------------------- control (cancel, restart, events)

    /**
     * A wanted key was cancelled, by this client or by another with {@code force}; the scheduler no
     * longer holds it for this client. Defaults to {@link #keyForgotten} with reason "cancelled".
     *
     * @since 1.1
     */
    default void keyCancelled(String key) {
        keyForgotten(key, "cancelled");
    }

    /**
     * An event was logged under a topic this client subscribed to.
     *
     * @since 1.1
     */
    default void event(TopicEvent event) {
    }
}
