package org.weft.protocol;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A reference to another task's result inside a task's arguments ({@code {"ref": "a"}} in a graph
 * file). The scheduler makes the referenced task a dependency; the worker replaces the reference
 * with the result before the function runs. References may be nested inside lists and maps.
 *
 * @param key the referenced task's key
 */
@ProviderType
public record TaskRef(String key) {
    public TaskRef {
        Objects.requireNonNull(key, "key");
    }
}
