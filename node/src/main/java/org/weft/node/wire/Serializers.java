package org.weft.node.wire;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.weft.plugin.api.Serializer;
import org.weft.protocol.ValueType;
import org.weft.protocol.ValueTypes;

/**
 * Puts plugin-API {@link Serializer}s into the JVM's {@link ValueTypes}, which every value crossing
 * a process boundary (or a role boundary in a local cluster) goes through. The OSGi binder calls
 * it for every {@code Serializer} service; plain Java (tests, an embedded cluster) may call it
 * directly.
 */
public final class Serializers {

    private static final Map<Serializer<?>, ValueType<?>> REGISTERED = new ConcurrentHashMap<>();

    private Serializers() {
    }

    /** Registers {@code serializer} (again: no effect); the newest serializer for a name or a class wins. */
    public static void register(Serializer<?> serializer) {
        ValueType<?> type = valueType(serializer);
        if (REGISTERED.putIfAbsent(serializer, type) == null) {
            ValueTypes.register(type);
        }
    }

    /** Unregisters {@code serializer}; whether it was registered. */
    public static boolean unregister(Serializer<?> serializer) {
        ValueType<?> type = REGISTERED.remove(serializer);
        return type != null && ValueTypes.unregister(type);
    }

    /** The serializer as a protocol value type; its name and class are read once. */
    static <T> ValueType<T> valueType(Serializer<T> serializer) {
        String name = serializer.typeName();
        Class<T> type = serializer.type();
        if (name == null || name.isBlank() || type == null) {
            throw new IllegalArgumentException("serializer " + serializer.getClass().getName()
                    + " needs a type name and a class");
        }
        return ValueType.of(name, type, serializer::toBytes, serializer::fromBytes);
    }
}
