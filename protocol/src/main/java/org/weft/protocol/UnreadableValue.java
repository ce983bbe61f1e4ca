package org.weft.protocol;

/**
 * A value of a registered type that this process cannot read: no {@link ValueType} here has its
 * name, or its {@code fromBytes} failed. It is passed on as it came (a scheduler without the
 * user's serializer forwards such arguments untouched), but a task given one errs, and a client
 * gathering one fails, naming the type.
 *
 * @param typeName the {@code $type} written with the value
 * @param bytes the value's bytes, as written
 * @param reason why it could not be read here
 */
public record UnreadableValue(String typeName, byte[] bytes, String reason) {

    /** Whether this JVM ever read an unreadable value: until then nobody needs to look for one. */
    static volatile boolean met;

    public UnreadableValue {
        met = true;
    }

    /** The error for a place that needed the value itself. */
    public UnencodableValueException error(String where) {
        return new UnencodableValueException(where + " is a value of type '" + typeName + "', which cannot be read here: "
                + reason);
    }
}
