package org.weft.plugin.api;

import java.util.Collection;
import java.util.Map;
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

    /**
     * The key prefix, by which the scheduler groups tasks (duration estimates, counts per prefix):
     * {@code key.substring(0, prefixLength(key))}, see {@link #prefixLength}.
     */
    String prefix();

    /**
     * The length of a key's prefix, Dask's {@code key_split}: {@code inc-1f2e3d4c} → {@code inc},
     * {@code pi-chunk-17} → {@code pi-chunk}. The first word, then each further word made only of
     * letters, up to an empty word, a word with another character or an 8-digit hex token. Without
     * allocating, so that a plugin may call it for every event; safe on any thread.
     *
     * @since 1.5
     */
    static int prefixLength(String key) {
        int end = key.indexOf('-');
        if (end < 0) {
            return key.length();
        }
        int prefixEnd = end;
        while (end < key.length()) {
            int start = end + 1;
            end = key.indexOf('-', start);
            if (end < 0) {
                end = key.length();
            }
            if (end == start || !letters(key, start, end) || (end - start == 8 && hex(key, start, end))) {
                break;
            }
            prefixEnd = end;
        }
        return prefixEnd;
    }

    private static boolean letters(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isLetter(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

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

    /**
     * The task's priority as the scheduler orders it: user priority, submission generation,
     * position in its graph.
     *
     * @since 1.3
     */
    TaskPriority priority();

    /**
     * The annotations the task was submitted with, as Dask names them: {@code priority} (the user
     * priority, where not 0), {@code workers} (the set of workers it may run on, where restricted),
     * {@code allow_other_workers} (true where that restriction is loose) and {@code resources} (a
     * map of resource name to amount, where it asks for any). Empty when it has none. Read-only.
     *
     * @since 1.3
     */
    Map<String, Object> annotations();
}
