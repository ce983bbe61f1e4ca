package org.weft.pluginhost;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.PluginOptions;

/**
 * The plugins of one host, by name, whatever their kind: registration (add, replace, ignore),
 * removal, handover, the copy-on-write snapshot hooks iterate, and the status. The scheduler and
 * worker hosts are thin, typed fronts on this. Loop thread only.
 */
final class PluginRegistry<P> {

    /** The kind-specific lifecycle calls: {@code start}/{@code close} or {@code setup}/{@code teardown}. */
    interface Lifecycle<P> {
        /** @param options what the plugin is added under (its name, delivery) */
        void start(P plugin, PluginOptions options) throws Exception;

        void stop(P plugin) throws Exception;
    }

    static final int CLOSED_HISTORY = 32;

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final PluginKind kind;
    private final Supplier<String> where;
    private PluginHostConfig config;
    private final LongSupplier clockMillis;
    private final Lifecycle<P> lifecycle;
    private final String startVerb;
    private final String stopVerb;
    private final Predicate<PluginOrigin> showStartFailure;

    private final Map<String, PluginSlot<P>> slots = new LinkedHashMap<>();
    private final Map<String, HandoverBuffer<P>> handovers = new LinkedHashMap<>();
    private final Map<String, PluginStatus> startFailures = new LinkedHashMap<>();
    private final ArrayDeque<PluginStatus> closed = new ArrayDeque<>();
    private List<EventSink<P>> sinks = List.of();

    PluginRegistry(PluginKind kind, Supplier<String> where, PluginHostConfig config, LongSupplier clockMillis,
            Lifecycle<P> lifecycle, String startVerb, String stopVerb, Predicate<PluginOrigin> showStartFailure) {
        this.kind = kind;
        this.where = where;
        this.config = config;
        this.clockMillis = clockMillis;
        this.lifecycle = lifecycle;
        this.startVerb = startVerb;
        this.stopVerb = stopVerb;
        this.showStartFailure = showStartFailure;
    }

    /**
     * New settings: the running plugins' limits change at once; a handover under way keeps the
     * deadline and capacity it started with, the next one gets the new ones.
     */
    void reconfigure(PluginHostConfig next) {
        config = next;
        for (PluginSlot<P> slot : slots.values()) {
            slot.reconfigure(next);
        }
    }

    Registration add(P plugin, PluginOptions options, PluginOrigin origin) throws PluginStartException {
        String name = options.name();
        PluginSlot<P> current = slots.get(name);
        PluginSlot<P> slot = new PluginSlot<>(plugin, options, origin, kind, where.get(), config);
        if (current != null && options.idempotent()) {
            LOG.info("{} from {} ignored: idempotent, and '{}' from {} is already running",
                    slot.label(), origin, name, current.origin());
            return Registration.IGNORED_IDEMPOTENT;
        }
        if (current != null) {
            retire(current, slot);
        }
        Throwable failure = call(p -> lifecycle.start(p, options), plugin);
        if (failure != null) {
            slot.shutDown(null);
            slot.closed(null);
            if (current != null) {
                slots.remove(name);
                rebuildSinks();
                LOG.info("{} from {} closed; its replacement from {} failed in {}()", current.label(),
                        current.origin(), origin, startVerb);
            }
            String message = slot.label() + " failed in " + startVerb + "(): " + failure;
            if (showStartFailure.test(origin)) {
                startFailures.put(name, new PluginStatus(name, kind, where.get(), origin.bundle(), origin.version(),
                        PluginState.FAILED, options.delivery(), 0, 0, 0, 0, 0, startVerb + ": " + failure));
            }
            throw new PluginStartException(name, message, failure);
        }
        slot.activate();
        slots.put(name, slot);
        startFailures.remove(name);
        HandoverBuffer<P> handover = handovers.remove(name);
        rebuildSinks();
        if (current != null) {
            LOG.info("{} replaced: {} from {} closed, {} from {} started ({})", slot.label(),
                    className(current.plugin()), current.origin(), className(plugin), origin, options.delivery());
        } else if (handover != null) {
            LOG.info("{} from {} took over, with {} event(s) held since its predecessor left ({})",
                    slot.label(), origin, handover.held(), options.delivery());
            handover.handTo(slot);
        } else {
            LOG.info("{} added: {} from {} ({})", slot.label(), className(plugin), origin, options.delivery());
        }
        return current != null ? Registration.REPLACED : Registration.ADDED;
    }

    void remove(String name) {
        PluginSlot<P> slot = slots.remove(name);
        if (slot != null) {
            rebuildSinks();
            retire(slot, null);
            LOG.info("{} removed", slot.label());
            return;
        }
        if (startFailures.remove(name) != null) {
            LOG.info("{} plugin '{}' (which had failed in {}()) removed", kind.label(), name, startVerb);
            return;
        }
        if (handovers.containsKey(name)) {
            dropHandover(name);
            return;
        }
        throw new IllegalArgumentException("no " + kind.label() + " plugin named '" + name + "'"
                + (kind == PluginKind.SCHEDULER ? "" : " on " + where.get()) + "; plugins: " + names());
    }

    boolean removeInstance(P plugin, boolean awaitReplacement) {
        PluginSlot<P> slot = null;
        for (PluginSlot<P> s : slots.values()) {
            if (s.plugin() == plugin) {
                slot = s;
                break;
            }
        }
        if (slot == null) {
            return false;
        }
        String name = slot.name();
        slots.remove(name);
        HandoverBuffer<P> handover = null;
        if (awaitReplacement) {
            handover = new HandoverBuffer<>(slot.label(), clockMillis.getAsLong() + config.handoverMillis(),
                    config.handoverCapacity());
            handovers.put(name, handover);
        }
        rebuildSinks();
        retire(slot, handover);
        if (awaitReplacement) {
            LOG.info("{} from {} removed; holding its events for up to {} ms for its replacement", slot.label(),
                    slot.origin(), config.handoverMillis());
        } else {
            LOG.info("{} from {} removed", slot.label(), slot.origin());
        }
        return true;
    }

    void dropHandover(String name) {
        HandoverBuffer<P> handover = handovers.remove(name);
        if (handover != null) {
            rebuildSinks();
            discard(name, handover, "its bundle is gone");
        }
    }

    void expireHandovers(long nowMillis) {
        boolean changed = false;
        for (Iterator<Map.Entry<String, HandoverBuffer<P>>> it = handovers.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, HandoverBuffer<P>> e = it.next();
            if (nowMillis >= e.getValue().deadlineMillis()) {
                it.remove();
                changed = true;
                discard(e.getKey(), e.getValue(), "no replacement came within " + config.handoverMillis() + " ms");
            }
        }
        if (changed) {
            rebuildSinks();
        }
    }

    /** Logs the events each plugin dropped since its last such line, at most once per {@link DropReport#INTERVAL_MILLIS}. */
    List<String> reportDrops(long nowMillis) {
        List<String> lines = List.of();
        for (PluginSlot<P> slot : slots.values()) {
            String line = slot.reportDrops(nowMillis, false);
            if (line != null) {
                lines = lines.isEmpty() ? new ArrayList<>() : lines;
                lines.add(line);
            }
        }
        return lines;
    }

    private void discard(String name, HandoverBuffer<P> handover, String why) {
        long dropped = handover.droppedCount();
        int discarded = handover.discard();
        LOG.info("{} plugin '{}': discarded {} held event(s){}: {}", kind.label(), name, discarded,
                dropped == 0 ? "" : " (and " + dropped + " dropped earlier)", why);
    }

    boolean isEmpty() {
        return sinks.isEmpty();
    }

    /** Every plugin and handover of the snapshot taken now; a plugin added meanwhile is not called. */
    List<EventSink<P>> sinks() {
        return sinks;
    }

    /** The running (active or FAILED) plugins, in the order they were added. */
    List<PluginSlot<P>> slots() {
        return List.copyOf(slots.values());
    }

    void closeAll() {
        List<PluginSlot<P>> all = new ArrayList<>(slots.values());
        slots.clear();
        for (String name : new ArrayList<>(handovers.keySet())) {
            discard(name, handovers.remove(name), "the " + kind.label() + " is closing");
        }
        rebuildSinks();
        for (PluginSlot<P> slot : all) {
            retire(slot, null);
            LOG.info("{} closed", slot.label());
        }
    }

    Set<String> names() {
        return new TreeSet<>(slots.keySet());
    }

    List<PluginStatus> status() {
        List<PluginStatus> out = new ArrayList<>(slots.size() + startFailures.size() + closed.size());
        for (PluginSlot<P> slot : slots.values()) {
            out.add(slot.status());
        }
        out.addAll(startFailures.values());
        out.addAll(closed);
        return out;
    }

    /** Stops events to the slot (the rest of a running snapshot goes to {@code next}), then closes it. */
    private void retire(PluginSlot<P> slot, EventSink<P> next) {
        slot.shutDown(next);
        slot.reportDrops(clockMillis.getAsLong(), true);
        Throwable failure = call(lifecycle::stop, slot.plugin());
        if (failure != null) {
            LOG.warn("{} failed in {}()", slot.label(), stopVerb, failure);
        }
        slot.closed(failure == null ? null : stopVerb + ": " + failure);
        if (closed.size() == CLOSED_HISTORY) {
            closed.removeFirst();
        }
        closed.addLast(slot.status());
    }

    private interface LifecycleCall<P> {
        void accept(P plugin) throws Exception;
    }

    private static <P> Throwable call(LifecycleCall<P> call, P plugin) {
        try {
            call.accept(plugin);
            return null;
        } catch (Exception | LinkageError e) {
            return e;
        }
    }

    private void rebuildSinks() {
        List<EventSink<P>> next = new ArrayList<>(slots.size() + handovers.size());
        next.addAll(slots.values());
        next.addAll(handovers.values());
        sinks = List.copyOf(next);
    }

    private static String className(Object o) {
        return o.getClass().getName();
    }
}
