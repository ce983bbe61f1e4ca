package org.weft.protocol;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One transition in a key's story (Dask's {@code Client.story}): where it happened (the
 * scheduler, or a worker's address), the states, and the stimulus that caused it.
 *
 * @param key the task's key
 * @param where {@code scheduler} or the worker's address (a steal names victim and thief)
 * @param start the state before
 * @param finish the state after
 * @param stimulusId what caused it, e.g. {@code task-finished-17}
 * @param timestampMillis when, in epoch milliseconds
 * @since 1.1
 */
@ProviderType
public record StoryEntry(String key, String where, String start, String finish, String stimulusId,
        long timestampMillis) {
}
