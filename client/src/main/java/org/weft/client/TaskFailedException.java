package org.weft.client;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A wanted key erred: its task, or a task it depends on ({@link #blamedKey()}), threw on a worker.
 * The message reads {@code task 'b' failed: blamed key 'a': <text>} when a dependency failed, and
 * {@code task 'a' failed: <text>} when the task itself did.
 *
 * @since 1.0
 */
@ProviderType
public class TaskFailedException extends WeftException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String blamedKey;
    private final String exceptionText;
    private final String traceback;

    /**
     * @param key the wanted key
     * @param blamedKey the key whose task actually failed (this key or a dependency); may be null
     * @param exceptionText the remote error message
     * @param traceback the remote stack trace text; may be null
     */
    public TaskFailedException(String key, String blamedKey, String exceptionText, String traceback) {
        super(message(key, blamedKey, exceptionText));
        this.key = key;
        this.blamedKey = blamedKey == null ? key : blamedKey;
        this.exceptionText = exceptionText;
        this.traceback = traceback;
    }

    private static String message(String key, String blamedKey, String text) {
        String blame = blamedKey == null || blamedKey.equals(key) ? "" : "blamed key '" + blamedKey + "': ";
        return "task '" + key + "' failed: " + blame + text;
    }

    /** The wanted key. */
    public String key() {
        return key;
    }

    /** The key whose task actually failed: {@link #key()} itself or one of its dependencies. */
    public String blamedKey() {
        return blamedKey;
    }

    /** The remote error message. */
    public String exceptionText() {
        return exceptionText;
    }

    /** The remote stack trace as text, or null when the scheduler sent none. */
    public String traceback() {
        return traceback;
    }
}
