package org.weft.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link ValueType}s of this JVM, which {@link Values} consults for values that are not
 * JSON-able. One registry per JVM (per bundle of this package in OSGi): in-process workers, worker
 * processes, the scheduler and clients of a JVM share it. Lookups are lock-free; registering is rare.
 *
 * <p>In an OSGi runtime Weft registers a type for every {@code Serializer} service and
 * unregisters it when the service goes. Elsewhere (a plain-Java client that sends or gathers
 * user-typed values, a test) call {@link #register} and, when done, {@link #unregister}.
 * Registering a type whose name or class is taken by another type shadows it until the newer one
 * is unregistered (so a bundle update that briefly has two revisions keeps working).
 */
public final class ValueTypes {

    private record Snapshot(Map<String, ValueType<?>> byName, Map<Class<?>, ValueType<?>> byClass) {
    }

    private static final List<ValueType<?>> REGISTERED = new ArrayList<>();
    private static volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());

    private ValueTypes() {
    }

    /** Adds {@code type}; the newest type for a name or a class wins. */
    public static synchronized void register(ValueType<?> type) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(type.name(), "name");
        Objects.requireNonNull(type.type(), "type()");
        if (type.name().isBlank()) {
            throw new IllegalArgumentException("a value type needs a name");
        }
        REGISTERED.add(type);
        rebuild();
    }

    /** Removes {@code type} (the same instance that was registered); whether it was registered. */
    public static synchronized boolean unregister(ValueType<?> type) {
        for (int i = REGISTERED.size() - 1; i >= 0; i--) {
            if (REGISTERED.get(i) == type) {
                REGISTERED.remove(i);
                rebuild();
                return true;
            }
        }
        return false;
    }

    private static void rebuild() {
        Map<String, ValueType<?>> byName = new HashMap<>();
        Map<Class<?>, ValueType<?>> byClass = new HashMap<>();
        for (ValueType<?> t : REGISTERED) { // later registrations overwrite earlier ones
            byName.put(t.name(), t);
            byClass.put(t.type(), t);
        }
        snapshot = new Snapshot(byName, byClass);
    }

    /** The type that writes values of exactly this class, or null. */
    public static ValueType<?> forClass(Class<?> c) {
        Map<Class<?>, ValueType<?>> byClass = snapshot.byClass();
        return byClass.isEmpty() ? null : byClass.get(c);
    }

    /** The type registered under this name, or null. */
    public static ValueType<?> forName(String name) {
        return snapshot.byName().get(name);
    }

    /** The names registered here, for error messages and {@code weft:} commands. */
    public static List<String> names() {
        return new ArrayList<>(snapshot.byName().keySet());
    }
}
