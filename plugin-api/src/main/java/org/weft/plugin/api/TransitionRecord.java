package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One line of a task's story: what happened to a key and why.
 *
 * @param key the task key
 * @param start the state before (a label, e.g. {@code processing})
 * @param finish the state after
 * @param stimulusId the stimulus that caused it
 * @param where {@code scheduler} or the worker's address
 * @param timestampMillis when, epoch milliseconds
 * @since 1.0
 */
@ProviderType
public record TransitionRecord(String key, String start, String finish, String stimulusId, String where,
        long timestampMillis) {
}
