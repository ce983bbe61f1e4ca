package org.weft.pluginhost;

import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.Delivery;
import org.weft.plugin.api.Overflow;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.PluginProperties;

/**
 * Reads a plugin service's typed properties ({@code weft.plugin.name}, {@code weft.plugin.idempotent},
 * {@code weft.async.*}) into {@link PluginOptions}. Bad values are warned about and replaced by
 * defaults: a plugin is never refused for a typo in its properties.
 */
public final class PluginNames {

    private static final Logger LOG = LoggerFactory.getLogger(PluginNames.class);

    private PluginNames() {
    }

    public static PluginOptions options(Function<String, Object> props, Supplier<String> fallbackName) {
        Object name = props.apply(PluginProperties.NAME);
        String pluginName;
        if (name instanceof String s && !s.isBlank()) {
            pluginName = s;
        } else {
            pluginName = fallbackName.get();
            if (name != null) {
                LOG.warn("plugin property {}={} is not a name; using {}", PluginProperties.NAME, name, pluginName);
            }
        }
        boolean idempotent = bool(props.apply(PluginProperties.IDEMPOTENT), pluginName);
        Delivery delivery = delivery(props, pluginName);
        return new PluginOptions(pluginName, idempotent, delivery);
    }

    private static boolean bool(Object value, String plugin) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equalsIgnoreCase(value.toString()) || "false".equalsIgnoreCase(value.toString())) {
            return Boolean.parseBoolean(value.toString());
        }
        LOG.warn("plugin '{}': {}={} is not a boolean; using false", plugin, PluginProperties.IDEMPOTENT, value);
        return false;
    }

    private static Delivery delivery(Function<String, Object> props, String plugin) {
        Object capacity = props.apply(PluginProperties.ASYNC_QUEUE_CAPACITY);
        if (capacity == null) {
            return Delivery.SYNC;
        }
        int queue = Delivery.DEFAULT_QUEUE_CAPACITY;
        try {
            queue = Integer.parseInt(capacity.toString().trim());
            if (queue < 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            LOG.warn("plugin '{}': {}={} is not a positive number; using {}", plugin,
                    PluginProperties.ASYNC_QUEUE_CAPACITY, capacity, Delivery.DEFAULT_QUEUE_CAPACITY);
            queue = Delivery.DEFAULT_QUEUE_CAPACITY;
        }
        Object overflow = props.apply(PluginProperties.ASYNC_OVERFLOW);
        Overflow policy = Overflow.BLOCK;
        if (overflow != null) {
            try {
                policy = Overflow.valueOf(overflow.toString().trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                LOG.warn("plugin '{}': {}={} is not BLOCK or DROP; using BLOCK", plugin, PluginProperties.ASYNC_OVERFLOW,
                        overflow);
            }
        }
        return Delivery.async(queue, policy);
    }
}
