package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A worker released a key (Dask's {@code release_key}).
 *
 * @param key the task key
 * @param state the state the task was in when released
 * @param cause the stimulus id that caused the release
 * @param reason a short human-readable reason, or {@code null}
 * @param report whether the scheduler is told of the release
 * @since 1.0
 */
@ProviderType
public record ReleaseKeyEvent(String key, WorkerTaskState state, String cause, String reason, boolean report) {
}
