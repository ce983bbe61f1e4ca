package org.weft.pluginhost;

import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.function.Consumer;

import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.ReleaseKeyEvent;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerTransitionEvent;
import org.weft.plugin.api.WorkerView;

/**
 * One worker's plugins (see {@link WorkerPlugin} for the contract). Every method runs on that
 * worker's loop thread; no locks. A plugin whose {@code setup} threw is listed FAILED with the
 * cause, on this worker, until it is added again successfully or removed.
 */
public final class WorkerPluginHost {

    private final PluginRegistry<WorkerPlugin> plugins;

    public WorkerPluginHost(WorkerView worker, PluginHostConfig config) {
        Objects.requireNonNull(worker, "worker");
        this.plugins = new PluginRegistry<>(PluginKind.WORKER, worker::address,
                Objects.requireNonNull(config, "config"), System::currentTimeMillis,
                new PluginRegistry.Lifecycle<>() {
                    @Override
                    public void start(WorkerPlugin plugin, PluginOptions options) throws Exception {
                        plugin.setup(worker);
                    }

                    @Override
                    public void stop(WorkerPlugin plugin) throws Exception {
                        plugin.teardown(worker);
                    }
                }, "setup", "teardown", origin -> true);
    }

    /**
     * Adds a plugin: {@code setup()}, then it receives events. Same name and not idempotent: the old
     * one's {@code teardown()} first.
     *
     * @throws PluginStartException if {@code setup()} threw; the plugin was not added and is listed
     *         FAILED on this worker with the cause
     */
    public Registration add(WorkerPlugin plugin, PluginOptions options, PluginOrigin origin)
            throws PluginStartException {
        return plugins.add(Objects.requireNonNull(plugin, "plugin"), Objects.requireNonNull(options, "options"),
                origin == null ? PluginOrigin.CODE : origin);
    }

    /**
     * Removes the plugin of this name: {@code teardown()} after its last event.
     *
     * @throws IllegalArgumentException if no plugin has that name on this worker
     */
    public void remove(String name) {
        plugins.remove(name);
    }

    /**
     * New settings (failure limit, slow-call threshold, handover limits) from now on; a handover
     * under way keeps the limits it started with.
     */
    public void reconfigure(PluginHostConfig config) {
        plugins.reconfigure(Objects.requireNonNull(config, "config"));
    }

    /**
     * Logs how many events each plugin dropped since its last such line (at most one line per
     * plugin per 10 s); call it periodically, e.g. every second.
     *
     * @return the lines logged
     */
    public List<String> reportDrops(long nowMillis) {
        return plugins.reportDrops(nowMillis);
    }

    /** Removes the plugin only if this very instance is current under its name; returns whether it was. */
    public boolean removeInstance(WorkerPlugin plugin) {
        return plugins.removeInstance(plugin, false);
    }

    /**
     * As {@link #removeInstance(WorkerPlugin)}; with {@code awaitReplacement} (its bundle is being
     * updated) the name's events are held for the next {@link #add} of that name, within
     * {@link PluginHostConfig#handoverMillis()}, as on the scheduler.
     */
    public boolean removeInstance(WorkerPlugin plugin, boolean awaitReplacement) {
        return plugins.removeInstance(plugin, awaitReplacement);
    }

    /** The bundle is gone for good: discard what is held for this name now. */
    public void dropHandover(String name) {
        plugins.dropHandover(name);
    }

    /** Discards handovers whose wait ended by {@code nowMillis}. */
    public void expireHandovers(long nowMillis) {
        plugins.expireHandovers(nowMillis);
    }

    public void transition(WorkerTransitionEvent e) {
        List<EventSink<WorkerPlugin>> sinks = plugins.sinks();
        if (sinks.isEmpty()) {
            return;
        }
        HookCall<WorkerPlugin> call = new TransitionCall(e);
        for (EventSink<WorkerPlugin> sink : sinks) {
            sink.deliver(call);
        }
    }

    /**
     * A transition, made for every task several times: one object per event, not a lambda and a
     * wrapper (as the scheduler's host does; see {@link HookCall}).
     */
    private static final class TransitionCall extends HookCall<WorkerPlugin> {
        private final WorkerTransitionEvent event;

        TransitionCall(WorkerTransitionEvent event) {
            super("transition", event.key());
            this.event = event;
        }

        @Override
        void callOn(WorkerPlugin plugin) {
            plugin.transition(event);
        }
    }

    public void releaseKey(ReleaseKeyEvent e) {
        dispatch("releaseKey", e.key(), p -> p.releaseKey(e));
    }

    public boolean isEmpty() {
        return plugins.isEmpty();
    }

    /** The worker is closing: {@code teardown()} every plugin. */
    public void closeAll() {
        plugins.closeAll();
    }

    /** Active, FAILED (hook failures, or setup threw), and the last closed plugins. */
    public List<PluginStatus> status() {
        return plugins.status();
    }

    /** The names of the running (active or FAILED) plugins, sorted. */
    public Set<String> names() {
        return plugins.names();
    }

    private void dispatch(String hook, String subject, Consumer<WorkerPlugin> action) {
        List<EventSink<WorkerPlugin>> sinks = plugins.sinks();
        if (sinks.isEmpty()) {
            return;
        }
        HookCall<WorkerPlugin> call = HookCall.of(hook, subject, action);
        for (EventSink<WorkerPlugin> sink : sinks) {
            sink.deliver(call);
        }
    }
}
