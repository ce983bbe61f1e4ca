package org.weft.protocol;

import java.util.Objects;

/**
 * A reference to another task's result inside a task's arguments, on the wire. Encoded as a
 * one-entry map {@code {"$ref": key}} (see {@link Values}).
 */
public record Ref(String key) {
    public Ref {
        Objects.requireNonNull(key, "key");
    }
}
