package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the host gives a scheduler plugin about its own place in the host, with
 * {@link SchedulerPlugin#start(SchedulerView, PluginContext)}: its name, and a way to say that the
 * events it wants changed. Implemented by Weft; one per plugin (a replacement of the same name gets
 * its own).
 *
 * <h2>Changing interest</h2>
 * The host asks {@link SchedulerPlugin#wantsTransition} for every pair of states when the plugin is
 * added and keeps the answers: per event it looks them up, and builds no event that nobody wants. A
 * plugin whose wishes depend on its own state (the dashboard's plugin wants finished tasks only
 * while a page is open) answers from that state and calls {@link #interestChanged()} each time it
 * changes; the host then asks again. For example:
 *
 * <pre>{@code
 * private volatile boolean watching;
 * private volatile PluginContext context;
 *
 * public void start(SchedulerView scheduler, PluginContext context) { this.context = context; }
 * public boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
 *     return watching && start == SchedulerTaskState.PROCESSING;
 * }
 * void watch(boolean on) {        // any thread, e.g. a servlet's
 *     watching = on;
 *     context.interestChanged();  // then take a snapshot of what is wanted: no event is missed
 * }
 * }</pre>
 *
 * @since 1.4
 */
@ProviderType
public interface PluginContext {

    /** The name the plugin runs under. */
    String name();

    /**
     * Says that this plugin's answers to {@link SchedulerPlugin#wantsTransition} may have changed:
     * the host asks them all again, on the loop thread, before it reports the next transition.
     *
     * <ul>
     *   <li>Safe from any thread; it never blocks and never calls the plugin back on the calling
     *       thread (it marks the answers stale; calls close together are asked about once).</li>
     *   <li>Every transition the loop makes after it has seen this call goes by the new answers. So
     *       anything that reaches the loop after this call returns is followed only by events filtered
     *       the new way: call it first, then ask the loop for a snapshot (the dashboard's snapshot of
     *       the cluster, a hook's read of the live view), and the events that follow the snapshot are
     *       exactly those wanted, none missed. A transition the loop makes meanwhile goes by either.</li>
     *   <li>Events already queued for an asynchronous plugin are still delivered.</li>
     *   <li>While the plugin's bundle is between revisions every transition is held for the next
     *       revision anyway; after {@code close} the call does nothing.</li>
     * </ul>
     */
    void interestChanged();
}
