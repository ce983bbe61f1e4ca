package org.weft.pluginhost;

/** Which kind of host a plugin lives in. */
public enum PluginKind {
    SCHEDULER, WORKER, NANNY;

    /** Lower-case label used in log lines and messages, e.g. {@code scheduler}. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
