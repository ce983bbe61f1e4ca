package org.weft.plugin.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A worker's record of one task, read-only.
 *
 * @since 1.0
 */
@ProviderType
public interface WorkerTaskView {

    String key();

    WorkerTaskState state();

    /** The size of the result in bytes, or {@code -1}. */
    long nbytes();

    /** The error message if the task failed here, else {@code null}. */
    String exceptionText();

    /** The stack trace text if the task failed here, else {@code null}. */
    String traceback();

    List<Startstop> startstops();
}
