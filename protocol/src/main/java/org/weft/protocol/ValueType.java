package org.weft.protocol;

import java.util.Objects;

/**
 * How values of one Java class cross a process boundary when they are not JSON-able: a stable
 * name that travels with the bytes, and the conversion both ways. Registered in {@link ValueTypes};
 * in an OSGi runtime Weft registers one for every {@code org.weft.plugin.api.Serializer} service.
 *
 * <p>A value is written as the two-entry map {@code {"$type": NAME, "$bytes": BYTES}}. A type
 * takes values of exactly {@link #type()} (not of its subclasses: register each class, so that the
 * class that reads a value back is always the class that was written). Implementations must be
 * thread-safe.
 *
 * @param <T> the class of the values
 */
public interface ValueType<T> {

    /** The name written with each value and looked up by the reader, e.g. {@code com.example.Point}; never changes. */
    String name();

    /** The exact class of the values this type writes. */
    Class<T> type();

    /** The bytes of {@code value}; an exception here refuses the value (the task that produced it errs). */
    byte[] toBytes(T value) throws Exception;

    /** The value {@link #toBytes} wrote; a fresh object the reader owns. */
    T fromBytes(byte[] bytes) throws Exception;

    /** A conversion both ways, as one function each. */
    @FunctionalInterface
    interface Conversion<A, B> {
        B apply(A from) throws Exception;
    }

    /**
     * A value type from two functions, e.g. for a plain-Java client:
     * {@code ValueTypes.register(ValueType.of("example.Point", Point.class, Point::toBytes, Point::fromBytes))}.
     */
    static <T> ValueType<T> of(String name, Class<T> type, Conversion<T, byte[]> toBytes, Conversion<byte[], T> fromBytes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(toBytes, "toBytes");
        Objects.requireNonNull(fromBytes, "fromBytes");
        return new ValueType<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Class<T> type() {
                return type;
            }

            @Override
            public byte[] toBytes(T value) throws Exception {
                return toBytes.apply(value);
            }

            @Override
            public T fromBytes(byte[] bytes) throws Exception {
                return fromBytes.apply(bytes);
            }

            @Override
            public String toString() {
                return "ValueType[" + name + " = " + type.getName() + "]";
            }
        };
    }
}
