package org.weft.node.functions;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.weft.plugin.api.TaskFunction;

/**
 * The task functions workers can run, by name. Thread-safe: executor threads look functions up
 * while DS binds and unbinds them. A function registered later under the same name replaces the
 * earlier one until it leaves, then the earlier one is back.
 */
public final class TaskFunctionRegistry {

    private final Map<String, java.util.Deque<TaskFunction>> byName = new ConcurrentHashMap<>();

    /** A registry holding the built-in functions. */
    public static TaskFunctionRegistry withBuiltins() {
        TaskFunctionRegistry registry = new TaskFunctionRegistry();
        BuiltinFunctions.registerAll(registry);
        return registry;
    }

    public void register(String name, TaskFunction function) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a task function needs a name");
        }
        byName.computeIfAbsent(name, n -> new java.util.concurrent.ConcurrentLinkedDeque<>()).push(function);
    }

    public void unregister(String name, TaskFunction function) {
        java.util.Deque<TaskFunction> stack = byName.get(name);
        if (stack != null) {
            stack.remove(function);
        }
    }

    /**
     * @throws IllegalArgumentException naming the function and the ones that exist
     */
    public TaskFunction lookup(String name) {
        java.util.Deque<TaskFunction> stack = byName.get(name);
        TaskFunction f = stack == null ? null : stack.peek();
        if (f == null) {
            throw new IllegalArgumentException("no task function named '" + name + "'; known functions: " + names());
        }
        return f;
    }

    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        byName.forEach((name, stack) -> {
            if (!stack.isEmpty()) {
                names.add(name);
            }
        });
        return names;
    }
}
