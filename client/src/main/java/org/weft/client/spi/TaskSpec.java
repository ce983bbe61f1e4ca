package org.weft.client.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One task of a graph as sent to the scheduler.
 *
 * @param key unique key
 * @param function the name of a registered task function
 * @param args arguments: plain values, {@link TaskRef}s, and lists/maps that may contain refs
 * @param retries how many times the task is retried after an error
 */
public record TaskSpec(String key, String function, List<Object> args, int retries) {

    public TaskSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(function, "function");
        args = args == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(args));
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0 for task '" + key + "'");
        }
    }

    public TaskSpec(String key, String function, List<Object> args) {
        this(key, function, args, 0);
    }

    /** The keys this task depends on: every {@link TaskRef} in its arguments, nested ones included. */
    public Set<String> dependencies() {
        Set<String> deps = new LinkedHashSet<>();
        collect(args, deps);
        return deps;
    }

    private static void collect(Object value, Set<String> into) {
        if (value instanceof TaskRef ref) {
            into.add(ref.key());
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                collect(o, into);
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Object o : m.values()) {
                collect(o, into);
            }
        }
    }
}
