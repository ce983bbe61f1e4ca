package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The service property names the annotations of this package set, for code that registers
 * services by hand.
 *
 * @since 1.0
 */
@ProviderType
public final class PluginProperties {
    /** Set by {@link PluginName}. */
    public static final String NAME = "weft.plugin.name";
    /** Set by {@link PluginIdempotent}. */
    public static final String IDEMPOTENT = "weft.plugin.idempotent";
    /** Set by {@link AsyncDelivery}; its presence means asynchronous delivery. */
    public static final String ASYNC_QUEUE_CAPACITY = "weft.async.queueCapacity";
    /** Set by {@link AsyncDelivery}: {@code BLOCK} or {@code DROP}. */
    public static final String ASYNC_OVERFLOW = "weft.async.overflow";
    /** Set by {@link TaskFunctionName}. */
    public static final String FUNCTION_NAME = "weft.task.function.name";

    private PluginProperties() {
    }
}
