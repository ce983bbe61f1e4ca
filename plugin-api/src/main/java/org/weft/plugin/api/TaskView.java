package org.weft.plugin.api;

import java.util.Collection;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The scheduler's record of one task, read-only. Valid only on the scheduler loop thread.
 *
 * @since 1.0
 */
@ProviderType
public interface TaskView {

    String key();

    /** The key prefix used for duration estimates: the key up to its last {@code -} followed by an index. */
    String prefix();

    /** The name of the task function. */
    String function();

    SchedulerTaskState state();

    Collection<? extends TaskView> dependencies();

    Collection<? extends TaskView> dependents();

    /** The worker this task is processing on, or {@code null}. */
    String processingOn();

    /** The workers holding this task's result. Empty unless in memory. */
    Set<String> whoHas();

    /** The size of the result in bytes, or {@code -1} when unknown. */
    long nbytes();

    /** The result's type name, or {@code null} when unknown. */
    String typeName();

    /** Retries left. */
    int retries();

    /** The error message if the task erred (its own, or the one of the dependency it was blamed on). */
    String exceptionText();

    /** The remote traceback text if the task erred, else {@code null}. */
    String traceback();

    /** The key the error is blamed on: this task's own key, or the failed dependency's. */
    String exceptionBlame();

    /** The clients that want this key. */
    Set<String> wantedBy();
}
