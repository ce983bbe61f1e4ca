package org.weft.scheduler.core.plugin;

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
 * revision might want is lost. Loop thread only.
 */
final class EventInterest {

    private static final Logger LOG = LoggerFactory.getLogger(EventInterest.class);
    private static final SchedulerTaskState[] STATES = SchedulerTaskState.values();
    private static final int N = STATES.length;

    /** The answers for one snapshot: per sink, null (every transition) or one flag per pair. */
    static final class Table {
        private final boolean[][] bySink;
        private final boolean[] any = new boolean[N * N];
        private final boolean anyGraph;

        private Table(boolean[][] bySink, boolean anyGraph) {
            this.bySink = bySink;
            this.anyGraph = anyGraph;
            for (boolean[] wants : bySink) {
                for (int i = 0; i < any.length; i++) {
                    any[i] |= wants == null || wants[i];
                }
            }
        }

        boolean any(SchedulerTaskState start, SchedulerTaskState finish) {
            return any[index(start, finish)];
        }

        /** Whether some plugin handles {@code updateGraph}. */
        boolean anyGraph() {
            return anyGraph;
        }

        boolean wants(int sink, SchedulerTaskState start, SchedulerTaskState finish) {
            boolean[] wants = bySink[sink];
            return wants == null || wants[index(start, finish)];
        }
    }

    private List<EventSink<SchedulerPlugin>> snapshot;
    private Table table;

    /** The table for {@code sinks}, the registry's current snapshot. */
    Table current(List<EventSink<SchedulerPlugin>> sinks) {
        if (sinks != snapshot) {
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
            table = new Table(bySink, anyGraph);
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
