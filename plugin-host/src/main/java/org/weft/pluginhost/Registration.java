package org.weft.pluginhost;

/** What {@code add} did: an expected outcome, so a value rather than an exception. */
public enum Registration {
    /** No plugin had this name: the newcomer was started and receives events. */
    ADDED,
    /** A plugin of this name was closed, then the newcomer was started. */
    REPLACED,
    /** A plugin of this name runs and the newcomer is idempotent: the newcomer was ignored, not started. */
    IGNORED_IDEMPOTENT
}
