package org.weft.worker.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.plugin.api.WorkerTaskState;
import org.weft.protocol.TaskRef;

/**
 * Task arguments on a worker: finding the {@link TaskRef}s in them (nested in lists and maps too)
 * and replacing each by the referenced result just before the task runs. Subtrees without a
 * reference are passed on as they are, not copied.
 */
final class WorkerArgs {

    private WorkerArgs() {
    }

    /** The dependency keys of a task: references in {@code args} in order, then other keys of {@code whoHas}. */
    static Set<String> dependencyKeys(List<Object> args, Map<String, Set<String>> whoHas) {
        Set<String> keys = null;
        if (args != null) {
            for (Object arg : args) {
                keys = collectReferences(arg, keys);
            }
        }
        if (whoHas != null && !whoHas.isEmpty()) {
            if (keys == null) {
                keys = new LinkedHashSet<>();
            }
            keys.addAll(whoHas.keySet());
        }
        return keys == null ? Set.of() : keys;
    }

    private static Set<String> collectReferences(Object value, Set<String> keys) {
        if (value instanceof TaskRef ref) {
            if (keys == null) {
                keys = new LinkedHashSet<>();
            }
            keys.add(ref.key());
        } else if (value instanceof List<?> list) {
            for (Object element : list) {
                keys = collectReferences(element, keys);
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Object element : map.values()) {
                keys = collectReferences(element, keys);
            }
        }
        return keys;
    }

    /**
     * {@code args} with every reference replaced by the referenced task's result, which must be in
     * memory in {@code tasks}.
     */
    @SuppressWarnings("unchecked")
    static List<Object> substitute(List<Object> args, Map<String, WorkerTask> tasks) {
        if (args == null) {
            return List.of();
        }
        return (List<Object>) substituteValue(args, tasks);
    }

    private static Object substituteValue(Object value, Map<String, WorkerTask> tasks) {
        if (value instanceof TaskRef ref) {
            WorkerTask dependency = tasks.get(ref.key());
            if (dependency == null || dependency.state != WorkerTaskState.MEMORY) {
                throw new IllegalStateException("Dependency '" + ref.key() + "' is not in memory here ("
                        + (dependency == null ? "unknown" : dependency.state) + ")");
            }
            return dependency.value;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = null;
            int index = 0;
            for (Object element : list) {
                Object replaced = substituteValue(element, tasks);
                if (copy == null && replaced != element) {
                    copy = new ArrayList<>(list.size());
                    copy.addAll(list.subList(0, index));
                }
                if (copy != null) {
                    copy.add(replaced);
                }
                index++;
            }
            return copy == null ? list : copy;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = null;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object replaced = substituteValue(entry.getValue(), tasks);
                if (copy == null && replaced != entry.getValue()) {
                    copy = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> earlier : map.entrySet()) {
                        if (earlier.getKey() == entry.getKey()) {
                            break;
                        }
                        copy.put(earlier.getKey(), earlier.getValue());
                    }
                }
                if (copy != null) {
                    copy.put(entry.getKey(), replaced);
                }
            }
            return copy == null ? map : copy;
        }
        return value;
    }
}
