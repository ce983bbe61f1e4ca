package org.weft.pluginhost;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.GraphEvent;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;

/**
 * Which events the scheduler plugins want, as a table per snapshot of the plugins, rebuilt only
 * when the snapshot changes: per event the host looks up a boolean, and builds no event at all
 * when nobody wants it. Transitions: what each plugin answers to
 * {@link SchedulerPlugin#wantsTransition}. Graph updates (whose event copies every key of the
 * graph): whether some plugin overrides {@link SchedulerPlugin#updateGraph}. A handover buffer, or a
 * slot that is leaving (it forwards to its successor), wants everything, so nothing a new
 * revision might want is lost. A plugin that says its interest changed
 * ({@link org.weft.plugin.api.PluginContext#interestChanged()}, from any thread) marks the table
 * stale: the next look on the loop rebuilds it, asking every plugin again. Loop thread only, but
 * for {@link #markStale}.
 */
final class EventInterest {

    private static final Logger LOG = LoggerFactory.getLogger(EventInterest.class);
    private static final SchedulerTaskState[] STATES = SchedulerTaskState.values();
    private static final int N = STATES.length;

    /**
     * The answers for one snapshot: for each transition (start, finish), the sinks that want it,
     * in the snapshot's order, so that delivering an event walks exactly its recipients.
     */
    static final class Table {
        private static final EventSink<SchedulerPlugin>[] NONE = sinkArray(0);

        private final EventSink<SchedulerPlugin>[][] byPair;
        private final boolean anyGraph;

        /** @param bySink per sink, null (every transition) or one flag per pair */
        private Table(List<EventSink<SchedulerPlugin>> sinks, boolean[][] bySink, boolean anyGraph) {
            this.anyGraph = anyGraph;
            @SuppressWarnings("unchecked")
            EventSink<SchedulerPlugin>[][] pairs = new EventSink[N * N][];
            List<EventSink<SchedulerPlugin>> wanting = new ArrayList<>(sinks.size());
            for (int pair = 0; pair < pairs.length; pair++) {
                wanting.clear();
                for (int i = 0; i < bySink.length; i++) {
                    if (bySink[i] == null || bySink[i][pair]) {
                        wanting.add(sinks.get(i));
                    }
                }
                pairs[pair] = wanting.isEmpty() ? NONE : wanting.toArray(sinkArray(wanting.size()));
            }
            this.byPair = pairs;
        }

        boolean any(SchedulerTaskState start, SchedulerTaskState finish) {
            return byPair[index(start, finish)].length > 0;
        }

        /** Whether some plugin handles {@code updateGraph}. */
        boolean anyGraph() {
            return anyGraph;
        }

        /** The sinks that want {@code start → finish}, in order; an empty array if none. Not to be modified. */
        EventSink<SchedulerPlugin>[] sinks(SchedulerTaskState start, SchedulerTaskState finish) {
            return byPair[index(start, finish)];
        }

        @SuppressWarnings("unchecked")
        private static EventSink<SchedulerPlugin>[] sinkArray(int n) {
            return new EventSink[n];
        }
    }

    private List<EventSink<SchedulerPlugin>> snapshot;
    private Table table;
    /** Set from any thread when a plugin's answers may have changed; cleared by the loop as it asks again. */
    private volatile boolean stale;

    /** A plugin ({@code name}) says its answers may have changed: any thread, never blocks. */
    void markStale(String name) {
        stale = true;
        LOG.debug("scheduler plugin '{}' says the events it wants changed", name);
    }

    /** The table for {@code sinks}, the registry's current snapshot. */
    Table current(List<EventSink<SchedulerPlugin>> sinks) {
        if (sinks != snapshot || stale) {
            stale = false; // before asking: a change said while asking is asked about again
            boolean[][] bySink = new boolean[sinks.size()][];
            boolean anyGraph = false;
            for (int i = 0; i < bySink.length; i++) {
                if (sinks.get(i) instanceof PluginSlot<SchedulerPlugin> slot && !slot.isShutDown()) {
                    bySink[i] = ask(slot);
                    anyGraph |= handlesGraphUpdates(slot.plugin());
                } else {
                    anyGraph = true;
                }
            }
            table = new Table(sinks, bySink, anyGraph);
            snapshot = sinks;
        }
        return table;
    }

    /** The plugin's answers, or null (every transition) if it wants them all or its answer threw. */
    private static boolean[] ask(PluginSlot<SchedulerPlugin> slot) {
        boolean[] wants = new boolean[N * N];
        boolean all = true;
        try {
            for (SchedulerTaskState start : STATES) {
                for (SchedulerTaskState finish : STATES) {
                    wants[index(start, finish)] = slot.plugin().wantsTransition(start, finish);
                    all &= wants[index(start, finish)];
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("{} failed in wantsTransition(); it gets every transition", slot.label(), e);
            return null;
        }
        return all ? null : wants;
    }

    /** Whether the plugin's class overrides the empty default {@code updateGraph}. */
    private static boolean handlesGraphUpdates(SchedulerPlugin plugin) {
        try {
            return plugin.getClass().getMethod("updateGraph", GraphEvent.class).getDeclaringClass() != SchedulerPlugin.class;
        } catch (NoSuchMethodException | SecurityException e) {
            return true;
        }
    }

    private static int index(SchedulerTaskState start, SchedulerTaskState finish) {
        return start.ordinal() * N + finish.ordinal();
    }
}
