package org.weft.pluginhost;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.weft.plugin.api.ClientEvent;
import org.weft.plugin.api.DownscalingRequest;
import org.weft.plugin.api.GraphEvent;
import org.weft.plugin.api.LogEvent;
import org.weft.plugin.api.PluginContext;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TransitionEvent;
import org.weft.plugin.api.WorkerEvent;

/**
 * The scheduler's plugins: registration by name, and every hook call, timed and contained (see
 * {@link SchedulerPlugin} for the contract). Every method runs on the scheduler loop thread; no
 * locks. Async plugins receive the same immutable events on their own thread.
 */
public final class SchedulerPluginHost {

    private final SchedulerView view;
    private final PluginRegistry<SchedulerPlugin> plugins;
    private final EventInterest interest = new EventInterest();
    private boolean beforeCloseDone;

    public SchedulerPluginHost(SchedulerView view, PluginHostConfig config) {
        this(view, config, System::currentTimeMillis);
    }

    /** With the clock that handover deadlines are measured on (tests). */
    SchedulerPluginHost(SchedulerView view, PluginHostConfig config, LongSupplier clockMillis) {
        this.view = Objects.requireNonNull(view, "view");
        this.plugins = new PluginRegistry<>(PluginKind.SCHEDULER, () -> "scheduler",
                Objects.requireNonNull(config, "config"), clockMillis,
                new PluginRegistry.Lifecycle<>() {
                    @Override
                    public void start(SchedulerPlugin plugin, PluginOptions options) throws Exception {
                        plugin.start(view, new Context(options.name(), interest));
                    }

                    @Override
                    public void stop(SchedulerPlugin plugin) throws Exception {
                        plugin.close();
                    }
                }, "start", "close", PluginOrigin::isBundle);
    }

    /**
     * Adds a plugin: {@code start()}, then it receives events from the next call on.
     *
     * @return whether it was added, replaced a plugin of the same name, or was ignored (idempotent)
     * @throws PluginStartException if {@code start()} threw; the plugin was not added (a bundle's
     *         plugin is then listed FAILED with the cause)
     */
    public Registration add(SchedulerPlugin plugin, PluginOptions options, PluginOrigin origin)
            throws PluginStartException {
        return plugins.add(Objects.requireNonNull(plugin, "plugin"), Objects.requireNonNull(options, "options"),
                origin == null ? PluginOrigin.CODE : origin);
    }

    /**
     * Removes the plugin of this name: {@code close()} after its last event (also when FAILED).
     *
     * @throws IllegalArgumentException if no plugin has that name
     */
    public void remove(String name) {
        plugins.remove(name);
    }

    /**
     * A plugin service is going away: removes it only if this very instance is the current plugin of
     * its name. With {@code awaitReplacement} (bundle update) the name's events are then held for the
     * next {@link #add} of that name, within {@link PluginHostConfig#handoverMillis()}.
     *
     * @return whether it was the current instance (and so was removed)
     */
    public boolean removeInstance(SchedulerPlugin plugin, boolean awaitReplacement) {
        return plugins.removeInstance(plugin, awaitReplacement);
    }

    /** The bundle is gone for good: discard what is held for this name now. */
    public void dropHandover(String name) {
        plugins.dropHandover(name);
    }

    /** Discards handovers whose wait ended by {@code nowMillis} ({@link System#currentTimeMillis()}). */
    public void expireHandovers(long nowMillis) {
        plugins.expireHandovers(nowMillis);
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

    /** No plugin and no handover: the loop may skip building events. */
    public boolean isEmpty() {
        return plugins.isEmpty();
    }

    /** Whether some plugin handles {@code updateGraph}; when none does, the loop does not build the event. */
    public boolean wantsGraphEvents() {
        return interest.current(plugins.sinks()).anyGraph();
    }

    public void updateGraph(GraphEvent e) {
        dispatch("updateGraph", e.client(), p -> p.updateGraph(e));
    }

    /**
     * Whether any plugin wants the transition {@code start → finish}
     * ({@link SchedulerPlugin#wantsTransition}); when none does, the loop does not build the event.
     */
    public boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
        return interest.current(plugins.sinks()).any(start, finish);
    }

    /** Delivers to the plugins that want this transition (and to every handover, which holds all). */
    public void transition(TransitionEvent e) {
        List<EventSink<SchedulerPlugin>> sinks = plugins.sinks();
        if (sinks.isEmpty()) {
            return;
        }
        EventSink<SchedulerPlugin>[] wanting = interest.current(sinks).sinks(e.start(), e.finish());
        if (wanting.length == 0) {
            return;
        }
        HookCall<SchedulerPlugin> call = new TransitionCall(e);
        for (EventSink<SchedulerPlugin> sink : wanting) {
            sink.deliver(call);
        }
    }

    public void addWorker(WorkerEvent e) {
        dispatch("addWorker", e.worker(), p -> p.addWorker(e));
    }

    public void removeWorker(WorkerEvent e) {
        dispatch("removeWorker", e.worker(), p -> p.removeWorker(e));
    }

    public void addClient(ClientEvent e) {
        dispatch("addClient", e.client(), p -> p.addClient(e));
    }

    public void removeClient(ClientEvent e) {
        dispatch("removeClient", e.client(), p -> p.removeClient(e));
    }

    public void logEvent(LogEvent e) {
        dispatch("logEvent", e.topic(), p -> p.logEvent(e));
    }

    public void restart() {
        dispatch("restart", null, p -> p.restart(view));
    }

    /** {@code beforeClose()} on every plugin, once, however often the scheduler asks. */
    public void beforeClose() {
        if (beforeCloseDone) {
            return;
        }
        beforeCloseDone = true;
        dispatch("beforeClose", null, SchedulerPlugin::beforeClose);
    }

    /** The scheduler is closing: close every plugin (after its last event) and drop handovers. */
    public void closeAll() {
        plugins.closeAll();
    }

    /**
     * Applies each active plugin's filter in turn (on the loop thread, async plugins included, since
     * an answer is needed now). A filter that throws vetoes nothing; answers cannot add candidates.
     */
    public Set<String> validWorkersDownscaling(Set<String> candidates) {
        Set<String> allowed = Set.copyOf(candidates);
        for (PluginSlot<SchedulerPlugin> slot : plugins.slots()) {
            if (allowed.isEmpty()) {
                break;
            }
            Set<String> asked = allowed;
            Set<String> answer = slot.query("validWorkersDownscaling", null,
                    p -> Objects.requireNonNull(p.validWorkersDownscaling(new DownscalingRequest(asked)),
                            "validWorkersDownscaling returned null"), asked);
            Set<String> kept = new HashSet<>(asked);
            kept.retainAll(answer);
            allowed = Set.copyOf(kept);
        }
        return allowed;
    }

    /** Active, FAILED, and the last closed plugins, with their figures. */
    public List<PluginStatus> status() {
        return plugins.status();
    }

    /** The names of the running (active or FAILED) plugins, sorted. */
    public Set<String> names() {
        return plugins.names();
    }

    private void dispatch(String hook, String subject, Consumer<SchedulerPlugin> action) {
        List<EventSink<SchedulerPlugin>> sinks = plugins.sinks();
        if (sinks.isEmpty()) {
            return;
        }
        HookCall<SchedulerPlugin> call = HookCall.of(hook, subject, action);
        for (EventSink<SchedulerPlugin> sink : sinks) {
            sink.deliver(call);
        }
    }

    /**
     * A plugin's handle on this host: {@link #interestChanged()} marks the answers to
     * {@code wantsTransition} stale, from any thread; the loop asks again before its next event.
     */
    private record Context(String name, EventInterest interest) implements PluginContext {
        @Override
        public void interestChanged() {
            interest.markStale(name);
        }
    }

    /** The transition hook's call, built once per event and made on every plugin that wants it. */
    private static final class TransitionCall extends HookCall<SchedulerPlugin> {
        private final TransitionEvent event;

        TransitionCall(TransitionEvent event) {
            super("transition", event.key());
            this.event = event;
        }

        @Override
        void callOn(SchedulerPlugin plugin) {
            plugin.transition(event);
        }
    }
}
