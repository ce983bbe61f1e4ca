package org.weft.pluginhost;

import org.weft.plugin.api.Delivery;

/**
 * One line of {@code weft:plugins}: a plugin's state and figures at the time of the query.
 *
 * @param name the plugin's name
 * @param kind scheduler, worker or nanny plugin
 * @param where {@code "scheduler"} or the worker's address
 * @param bundle the registering bundle, or {@code "(code)"}
 * @param version the bundle's version, or empty
 * @param state active, failed or closed
 * @param delivery sync or async (with capacity and overflow policy)
 * @param calls hook calls made
 * @param errors hook calls that threw
 * @param meanNanos mean time per call
 * @param maxNanos longest call
 * @param dropped events dropped (async DROP overflow, handover overflow)
 * @param failure why it failed (hook and exception), or {@code null}
 * @param statusLine the plugin's own status line ({@code SchedulerPlugin.statusLine}), or {@code null}
 */
public record PluginStatus(String name, PluginKind kind, String where, String bundle, String version,
        PluginState state, Delivery delivery, long calls, long errors, long meanNanos, long maxNanos,
        long dropped, String failure, String statusLine) {

    /** A status without a line of the plugin's own. */
    public PluginStatus(String name, PluginKind kind, String where, String bundle, String version,
            PluginState state, Delivery delivery, long calls, long errors, long meanNanos, long maxNanos,
            long dropped, String failure) {
        this(name, kind, where, bundle, version, state, delivery, calls, errors, meanNanos, maxNanos, dropped, failure,
                null);
    }
}
