package org.weft.scheduler.core.state;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.protocol.TaskSpec;

/**
 * Checks a submitted graph before anything changes, so a malformed graph is rejected whole with
 * a reason: duplicate keys, unknown dependencies, cycles, wanted keys that exist nowhere.
 */
final class GraphCheck {

    private GraphCheck() {
    }

    /**
     * @throws IllegalArgumentException naming the first problem found
     */
    static void check(List<TaskSpec> specs, Set<String> wanted, Map<String, TaskState> known) {
        Map<String, TaskSpec> byKey = new HashMap<>(specs.size() * 2);
        for (TaskSpec spec : specs) {
            if (spec.key().isEmpty()) {
                throw new IllegalArgumentException("a task has an empty key");
            }
            if (spec.function().isBlank()) {
                throw new IllegalArgumentException("task '" + spec.key() + "' names no function");
            }
            if (byKey.put(spec.key(), spec) != null) {
                throw new IllegalArgumentException("task key '" + spec.key() + "' appears twice in the graph");
            }
        }
        for (TaskSpec spec : specs) {
            for (String dep : spec.dependencies()) {
                if (!byKey.containsKey(dep) && !known.containsKey(dep)) {
                    throw new IllegalArgumentException(
                            "task '" + spec.key() + "' depends on '" + dep + "', which is neither in the graph nor known");
                }
                if (dep.equals(spec.key())) {
                    throw new IllegalArgumentException("task '" + spec.key() + "' depends on itself");
                }
            }
        }
        for (String key : wanted) {
            if (!byKey.containsKey(key) && !known.containsKey(key)) {
                throw new IllegalArgumentException("wanted key '" + key + "' is neither in the graph nor known");
            }
        }
        checkAcyclic(byKey);
    }

    /** Iterative DFS over the new tasks only (known tasks cannot depend on new ones). */
    private static void checkAcyclic(Map<String, TaskSpec> byKey) {
        Set<String> done = new HashSet<>(byKey.size() * 2);
        Set<String> onPath = new HashSet<>();
        Deque<String> stack = new ArrayDeque<>();
        Deque<java.util.Iterator<String>> iterators = new ArrayDeque<>();
        for (Map.Entry<String, TaskSpec> e : byKey.entrySet()) {
            String root = e.getKey();
            if (e.getValue().dependencies().isEmpty() || done.contains(root)) {
                continue; // a task with no dependencies closes no cycle
            }
            stack.push(root);
            onPath.add(root);
            iterators.push(byKey.get(root).dependencies().iterator());
            while (!stack.isEmpty()) {
                java.util.Iterator<String> it = iterators.peek();
                if (it.hasNext()) {
                    String dep = it.next();
                    if (!byKey.containsKey(dep) || done.contains(dep)) {
                        continue;
                    }
                    if (onPath.contains(dep)) {
                        throw new IllegalArgumentException("the graph has a cycle through '" + dep + "'");
                    }
                    stack.push(dep);
                    onPath.add(dep);
                    iterators.push(byKey.get(dep).dependencies().iterator());
                } else {
                    String finished = stack.pop();
                    iterators.pop();
                    onPath.remove(finished);
                    done.add(finished);
                }
            }
        }
    }
}
