package org.weft.plugin.api;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * New tasks entered the scheduler. Delivered after the tasks exist and before any of them transitions.
 *
 * @param client the submitting client's id
 * @param keys the keys the client wants from this submission
 * @param newTasks the keys of tasks this submission created (tasks already known are not repeated)
 * @param stimulusId the id of the update-graph stimulus
 * @since 1.0
 */
@ProviderType
public record GraphEvent(String client, Set<String> keys, Set<String> newTasks, String stimulusId) {
    public GraphEvent {
        keys = Set.copyOf(keys);
        newTasks = Set.copyOf(newTasks);
    }
}
