package org.weft.plugin.api;

import java.util.Map;
import java.util.Set;

/**
 * New tasks entered the scheduler. Delivered after the tasks exist and before any of them transitions.
 * As Dask's {@code update_graph(..., annotations, priority, ...)}, it carries each new task's
 * priority as the scheduler orders it, and the annotations given with the tasks.
 *
 * @param client the submitting client's id
 * @param keys the keys the client wants from this submission
 * @param newTasks the keys of tasks this submission created (tasks already known are not repeated)
 * @param stimulusId the id of the update-graph stimulus
 * @param priorities each new task's priority as the scheduler orders it (see {@link TaskPriority});
 *        since 1.3
 * @param annotations per annotation name, the new tasks that have it and its value, as Dask's
 *        {@code annotations}: {@code priority} (the user priority, where not 0), {@code workers}
 *        (the allowed workers, a set of names), {@code allow_other_workers} (true where the
 *        restriction is loose) and {@code resources} (a map of resource name to amount); see
 *        {@link TaskView#annotations()}; since 1.3
 * @since 1.0
 */
public record GraphEvent(String client, Set<String> keys, Set<String> newTasks, String stimulusId,
        Map<String, TaskPriority> priorities, Map<String, Map<String, Object>> annotations) {

    public GraphEvent {
        keys = Set.copyOf(keys);
        newTasks = Set.copyOf(newTasks);
        priorities = priorities == null ? Map.of() : Map.copyOf(priorities);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** An event without priorities or annotations, as in 1.0 – 1.2. */
    public GraphEvent(String client, Set<String> keys, Set<String> newTasks, String stimulusId) {
        this(client, keys, newTasks, stimulusId, Map.of(), Map.of());
    }
}
