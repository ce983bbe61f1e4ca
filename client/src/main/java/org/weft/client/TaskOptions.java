package org.weft.client;

/**
 * Per-submission options for {@link Client#submit(TaskOptions, String, Object...)}.
 *
 * <pre>{@code
 * client.submit(TaskOptions.key("total").withRetries(2), "sum", parts);
 * }</pre>
 *
 * @param key the task's key, or null to let the client generate {@code function-<token>}
 * @param retries how many times the scheduler retries the task after an error, {@code >= 0}
 * @since 1.0
 */
public record TaskOptions(String key, int retries) {

    /** Validates the options. */
    public TaskOptions {
        if (key != null && key.isEmpty()) {
            throw new IllegalArgumentException("task key must not be empty");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
    }

    /** A generated key and no retries. */
    public static TaskOptions defaults() {
        return new TaskOptions(null, 0);
    }

    /** An explicit key and no retries. */
    public static TaskOptions key(String key) {
        return new TaskOptions(key, 0);
    }

    /** A generated key and the given retries. */
    public static TaskOptions retries(int retries) {
        return new TaskOptions(null, retries);
    }

    /** These options with another key (null: generated). */
    public TaskOptions withKey(String newKey) {
        return new TaskOptions(newKey, retries);
    }

    /** These options with another retry count. */
    public TaskOptions withRetries(int newRetries) {
        return new TaskOptions(key, newRetries);
    }
}
