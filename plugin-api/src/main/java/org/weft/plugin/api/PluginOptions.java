package org.weft.plugin.api;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How a plugin is added in code: the programmatic twin of {@link PluginName},
 * {@link PluginIdempotent} and {@link AsyncDelivery}.
 *
 * @param name the plugin's name (replacement and removal go by name)
 * @param idempotent whether an existing plugin of the same name wins over this one
 * @param delivery synchronous or asynchronous delivery
 * @since 1.0
 */
@ProviderType
public record PluginOptions(String name, boolean idempotent, Delivery delivery) {

    public PluginOptions {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("plugin name must not be blank");
        }
        delivery = delivery == null ? Delivery.SYNC : delivery;
    }

    /** A synchronous, non-idempotent plugin of this name. */
    public static PluginOptions named(String name) {
        return new PluginOptions(name, false, Delivery.SYNC);
    }

    public PluginOptions idempotent(boolean value) {
        return new PluginOptions(name, value, delivery);
    }

    public PluginOptions delivery(Delivery value) {
        return new PluginOptions(name, idempotent, value);
    }
}
