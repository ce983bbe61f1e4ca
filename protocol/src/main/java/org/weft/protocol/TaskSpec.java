package org.weft.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One task of a graph as sent to the scheduler.
 *
 * @param key unique key
 * @param function the name of a registered task function
 * @param args arguments: plain values, {@link TaskRef}s, and lists/maps that may contain refs
 * @param retries how many times the task is retried after an error
 * @param priority user priority: higher runs first (default 0), as Dask's {@code priority=}
 * @param workers worker addresses or host names the task may run on; empty means any
 * @param looseRestrictions whether the task may run elsewhere when no worker in {@code workers} is present
 * @param resources abstract resources the task holds while it runs, e.g. {@code GPU=1}; empty means none
 */
@ProviderType
public record TaskSpec(String key, String function, List<Object> args, int retries, int priority,
        Set<String> workers, boolean looseRestrictions, Map<String, Double> resources) {

    public TaskSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(function, "function");
        // no arguments (e.g. no-op tasks): the shared empty list, not a wrapped copy per task
        args = args == null || args.isEmpty() ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(args));
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0 for task '" + key + "'");
        }
        workers = workers == null || workers.isEmpty() ? Set.of()
                : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(workers));
        if (resources == null || resources.isEmpty()) {
            resources = Map.of();
        } else {
            for (Map.Entry<String, Double> r : resources.entrySet()) {
                if (r.getKey() == null || r.getKey().isEmpty() || r.getValue() == null || !(r.getValue() >= 0)
                        || r.getValue().isInfinite()) {
                    throw new IllegalArgumentException("task '" + key + "': resource " + r.getKey() + "="
                            + r.getValue() + " must name a resource and ask for a finite amount >= 0");
                }
            }
            resources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(resources));
        }
    }

    public TaskSpec(String key, String function, List<Object> args, int retries) {
        this(key, function, args, retries, 0, Set.of(), false, Map.of());
    }

    public TaskSpec(String key, String function, List<Object> args) {
        this(key, function, args, 0);
    }

    /** Whether the task can only run on some workers (named ones, or ones with the resources it asks for). */
    public boolean restricted() {
        return !workers.isEmpty() || !resources.isEmpty();
    }

    /**
     * The keys this task depends on: every {@link TaskRef} in its arguments, nested ones included,
     * in the order they appear (an empty set, allocated once, when there are none).
     */
    public Set<String> dependencies() {
        if (args.isEmpty()) {
            return Set.of();
        }
        Set<String> deps = collect(args, null);
        return deps == null ? Set.of() : deps;
    }

    /** Adds the refs in {@code value} to {@code into}, creating it at the first one; returns it. */
    private static Set<String> collect(Object value, Set<String> into) {
        if (value instanceof TaskRef ref) {
            if (into == null) {
                into = new LinkedHashSet<>();
            }
            into.add(ref.key());
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                into = collect(o, into);
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Object o : m.values()) {
                into = collect(o, into);
            }
        }
        return into;
    }
}
