package org.weft.pluginhost;

/** A plugin's state as shown by {@code weft:plugins}. */
public enum PluginState {
    /** Receiving events. */
    ACTIVE,
    /** Set aside after too many consecutive failures, or its start/setup threw; receives nothing. */
    FAILED,
    /** Closed (removed, replaced, or the host closed); kept in the status with its final figures. */
    CLOSED
}
