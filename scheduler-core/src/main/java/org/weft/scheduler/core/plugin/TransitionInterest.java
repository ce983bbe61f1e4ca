package org.weft.scheduler.core.plugin;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;

/**
 * Which transitions each scheduler plugin wants ({@link SchedulerPlugin#wantsTransition}), as a
 * table per snapshot of the plugins, rebuilt only when the snapshot changes: per event the host
 * looks up a boolean, and builds no event at all when nobody wants it. A handover buffer, or a
 * slot that is leaving (it forwards to its successor), wants every transition, so nothing a new
 * revision might want is lost. Loop thread only.
 */
final class TransitionInterest {

    private static final Logger LOG = LoggerFactory.getLogger(TransitionInterest.class);
    private static final SchedulerTaskState[] STATES = SchedulerTaskState.values();
    private static final int N = STATES.length;

    /** The answers for one snapshot: per sink, null (every transition) or one flag per pair. */
    static final class Table {
        private final boolean[][] bySink;
        private final boolean[] any = new boolean[N * N];

        private Table(boolean[][] bySink) {
            this.bySink = bySink;
            for (boolean[] wants : bySink) {
                for (int i = 0; i < any.length; i++) {
                    any[i] |= wants == null || wants[i];
                }
            }
        }

        boolean any(SchedulerTaskState start, SchedulerTaskState finish) {
            return any[index(start, finish)];
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
            for (int i = 0; i < bySink.length; i++) {
                bySink[i] = sinks.get(i) instanceof PluginSlot<SchedulerPlugin> slot && !slot.isShutDown()
                        ? ask(slot)
                        : null;
            }
            table = new Table(bySink);
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

    private static int index(SchedulerTaskState start, SchedulerTaskState finish) {
        return start.ordinal() * N + finish.ordinal();
    }
}
