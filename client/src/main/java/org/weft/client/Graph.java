package org.weft.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;
import org.weft.protocol.TaskSpec;

/**
 * An immutable set of tasks and the keys wanted from them, submitted in one go with
 * {@link Client#compute}. Built with {@link #builder()} or read from JSON ({@link #fromJson},
 * {@link #read}):
 *
 * <pre>{@code
 * {"tasks": {"a": {"fn": "inc", "args": [1]},
 *            "b": {"fn": "add", "args": [{"ref": "a"}, 10], "retries": 2, "priority": 5,
 *                  "workers": ["inproc://worker-1"], "allowOtherWorkers": true, "resources": {"GPU": 1}}},
 *  "keys": ["b"]}
 * }</pre>
 *
 * <p>A graph is valid by construction: keys are unique and non-empty, function names non-empty,
 * every reference points at a task of the graph or at a key declared {@linkplain Builder#external
 * external} (one already submitted), and there is no cycle.
 *
 * @since 1.0
 */
@ProviderType
public final class Graph {

    private final Map<String, TaskSpec> tasks;
    private final Set<String> keys;
    private final Set<String> external;

    private Graph(Map<String, TaskSpec> tasks, Set<String> keys, Set<String> external) {
        this.tasks = Collections.unmodifiableMap(tasks);
        this.keys = Collections.unmodifiableSet(keys);
        this.external = Collections.unmodifiableSet(external);
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a graph file's text. In {@code args}, an object with exactly one field {@code "ref"}
     * (a string) is a {@link org.weft.protocol.TaskRef}, at any depth; integer literals become
     * {@link Long}, other numbers {@link Double}; objects become maps, arrays lists. {@code "keys"}
     * is optional and defaults to the tasks no other task depends on.
     *
     * <p>The graph size limit: a string in the graph (an argument, a key) may have at most
     * 20,000,000 characters unless the system property {@code weft.graph.maxStringLength} sets
     * another limit; a longer one is refused with a message that names the limit.
     *
     * @throws IllegalArgumentException naming the JSON path of the first problem, e.g.
     *         {@code tasks.b.args[0]: "ref" must be a string}
     */
    public static Graph fromJson(String json) {
        return GraphFile.parse(json);
    }

    /**
     * Reads a graph file (UTF-8); see {@link #fromJson}.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a valid graph; the message starts with the path
     */
    public static Graph read(Path file) throws IOException {
        return GraphFile.read(file);
    }

    /** The tasks, in the order they were added. */
    public List<TaskSpec> tasks() {
        return List.copyOf(tasks.values());
    }

    /** The task with this key, if the graph has one. */
    public Optional<TaskSpec> task(String key) {
        return Optional.ofNullable(tasks.get(key));
    }

    /** The wanted keys, in order: those given to the builder, else every task no other depends on. */
    public Set<String> keys() {
        return keys;
    }

    /** Keys referenced by tasks but not part of the graph: already submitted elsewhere. */
    public Set<String> external() {
        return external;
    }

    /** How many tasks the graph has. */
    public int size() {
        return tasks.size();
    }

    @Override
    public String toString() {
        return "Graph[" + tasks.size() + " tasks, keys=" + keys + "]";
    }

    /**
     * Collects tasks; {@link #build()} validates them all and throws an
     * {@link IllegalArgumentException} naming the offending key. Not thread-safe.
     */
    public static final class Builder {

        private final List<TaskSpec> specs = new ArrayList<>();
        private final Map<String, Integer> retries = new LinkedHashMap<>();
        private final Set<String> wanted = new LinkedHashSet<>();
        private final Set<String> external = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Adds a task. A {@link WeftFuture} among {@code args} (also inside lists and maps) becomes a
         * reference to its key, and that key is marked {@linkplain #external external}.
         */
        public Builder task(String key, String function, Object... args) {
            List<Object> wire = TaskArgs.toWire(args == null ? List.of() : Arrays.asList(args),
                    f -> external.add(f.key()));
            specs.add(new TaskSpec(key == null ? "" : key, function == null ? "" : function, wire));
            return this;
        }

        /** Adds a task as the scheduler will get it; its arguments are copied, futures converted. */
        public Builder task(TaskSpec spec) {
            Objects.requireNonNull(spec, "spec");
            List<Object> wire = TaskArgs.toWire(spec.args(), f -> external.add(f.key()));
            specs.add(new TaskSpec(spec.key(), spec.function(), wire, spec.retries(), spec.priority(), spec.workers(),
                    spec.looseRestrictions(), spec.resources()));
            return this;
        }

        /** Sets the retries of a task (added before or after this call). */
        public Builder retries(String key, int n) {
            if (n < 0) {
                throw new IllegalArgumentException("retries must be >= 0 for task '" + key + "', got " + n);
            }
            retries.put(key, n);
            return this;
        }

        /** Adds wanted keys; without any, the graph wants every task no other task depends on. */
        public Builder keys(String... keys) {
            wanted.addAll(Arrays.asList(keys));
            return this;
        }

        /** Declares keys that tasks may reference without being in the graph: already submitted. */
        public Builder external(String... keys) {
            external.addAll(Arrays.asList(keys));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException on an empty or duplicate key, an empty function name,
         *         retries or a wanted key naming no task, a reference to an unknown non-external key,
         *         or a cycle
         */
        public Graph build() {
            Map<String, TaskSpec> byKey = new LinkedHashMap<>();
            for (TaskSpec spec : specs) {
                if (spec.key().isEmpty()) {
                    throw new IllegalArgumentException("task key must not be empty");
                }
                if (spec.function().isBlank()) {
                    throw new IllegalArgumentException("task '" + spec.key() + "' has an empty function name");
                }
                if (byKey.containsKey(spec.key())) {
                    throw new IllegalArgumentException("duplicate task key '" + spec.key() + "'");
                }
                int n = retries.getOrDefault(spec.key(), spec.retries());
                byKey.put(spec.key(), new TaskSpec(spec.key(), spec.function(), spec.args(), n, spec.priority(),
                        spec.workers(), spec.looseRestrictions(), spec.resources()));
            }
            for (String key : retries.keySet()) {
                if (!byKey.containsKey(key)) {
                    throw new IllegalArgumentException("retries given for unknown task '" + key + "'");
                }
            }
            Set<String> referenced = new HashSet<>();
            for (TaskSpec spec : byKey.values()) {
                for (String dep : spec.dependencies()) {
                    if (!byKey.containsKey(dep) && !external.contains(dep)) {
                        throw new IllegalArgumentException("task '" + spec.key() + "' refers to unknown key '"
                                + dep + "' (not a task of the graph, nor declared external)");
                    }
                    referenced.add(dep);
                }
            }
            for (String key : wanted) {
                if (!byKey.containsKey(key)) {
                    throw new IllegalArgumentException("wanted key '" + key + "' is not a task of the graph");
                }
            }
            checkAcyclic(byKey);
            Set<String> keys = new LinkedHashSet<>(wanted);
            if (keys.isEmpty()) {
                for (String key : byKey.keySet()) {
                    if (!referenced.contains(key)) {
                        keys.add(key);
                    }
                }
            }
            Set<String> ext = new LinkedHashSet<>();
            for (TaskSpec spec : byKey.values()) {
                for (String dep : spec.dependencies()) {
                    if (!byKey.containsKey(dep)) {
                        ext.add(dep);
                    }
                }
            }
            return new Graph(byKey, keys, ext);
        }

        /** Iterative depth-first search; names the keys of the first cycle found. */
        private static void checkAcyclic(Map<String, TaskSpec> byKey) {
            Map<String, Integer> mark = new HashMap<>(); // 1 on the stack, 2 finished
            for (String root : byKey.keySet()) {
                if (mark.containsKey(root)) {
                    continue;
                }
                Deque<String> path = new ArrayDeque<>();
                Deque<Iterator<String>> its = new ArrayDeque<>();
                path.push(root);
                its.push(byKey.get(root).dependencies().iterator());
                mark.put(root, 1);
                while (!path.isEmpty()) {
                    Iterator<String> it = its.peek();
                    if (!it.hasNext()) {
                        mark.put(path.pop(), 2);
                        its.pop();
                        continue;
                    }
                    String dep = it.next();
                    if (!byKey.containsKey(dep)) {
                        continue;
                    }
                    Integer m = mark.get(dep);
                    if (m == null) {
                        mark.put(dep, 1);
                        path.push(dep);
                        its.push(byKey.get(dep).dependencies().iterator());
                    } else if (m == 1) {
                        List<String> cycle = new ArrayList<>();
                        for (Iterator<String> p = path.descendingIterator(); p.hasNext();) {
                            cycle.add(p.next());
                        }
                        cycle = cycle.subList(cycle.indexOf(dep), cycle.size());
                        throw new IllegalArgumentException("cycle in graph: " + String.join(" -> ", cycle) + " -> " + dep);
                    }
                }
            }
        }
    }
}
