package org.weft.worker.state;

import static org.weft.plugin.api.WorkerTaskState.CONSTRAINED;
import static org.weft.plugin.api.WorkerTaskState.ERROR;
import static org.weft.plugin.api.WorkerTaskState.EXECUTING;
import static org.weft.plugin.api.WorkerTaskState.FETCH;
import static org.weft.plugin.api.WorkerTaskState.FLIGHT;
import static org.weft.plugin.api.WorkerTaskState.FORGOTTEN;
import static org.weft.plugin.api.WorkerTaskState.LONG_RUNNING;
import static org.weft.plugin.api.WorkerTaskState.MEMORY;
import static org.weft.plugin.api.WorkerTaskState.MISSING;
import static org.weft.plugin.api.WorkerTaskState.READY;
import static org.weft.plugin.api.WorkerTaskState.RELEASED;
import static org.weft.plugin.api.WorkerTaskState.WAITING;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.weft.plugin.api.WorkerTaskState;

/**
 * The one table of allowed elementary transitions on a worker, exactly as {@link WorkerTaskState}'s
 * Javadoc lists them. {@code cancelled}, {@code resumed} and {@code rescheduled} have no edges: this
 * machine keeps a freed running task as {@code released} with an orphaned run instead (see
 * {@link WorkerState#freeKeys}), and a task is rescheduled by the scheduler, which frees it here
 * ({@code executing → released}).
 */
final class WorkerTransitionTable {

    private static final Map<WorkerTaskState, Set<WorkerTaskState>> ALLOWED = build();

    private WorkerTransitionTable() {
    }

    /** Whether {@code start → finish} is one elementary transition. */
    static boolean allows(WorkerTaskState start, WorkerTaskState finish) {
        return ALLOWED.get(start).contains(finish);
    }

    /** The allowed finish states from {@code start}, read-only. */
    static Set<WorkerTaskState> from(WorkerTaskState start) {
        return ALLOWED.get(start);
    }

    private static Map<WorkerTaskState, Set<WorkerTaskState>> build() {
        Map<WorkerTaskState, Set<WorkerTaskState>> table = new EnumMap<>(WorkerTaskState.class);
        for (WorkerTaskState state : WorkerTaskState.values()) {
            table.put(state, Collections.unmodifiableSet(EnumSet.noneOf(WorkerTaskState.class)));
        }
        put(table, RELEASED, WAITING, FETCH, MISSING, MEMORY, ERROR, FORGOTTEN);
        put(table, WAITING, READY, CONSTRAINED, RELEASED);
        put(table, READY, EXECUTING, RELEASED);
        put(table, CONSTRAINED, EXECUTING, RELEASED);
        put(table, EXECUTING, MEMORY, ERROR, LONG_RUNNING, RELEASED);
        put(table, LONG_RUNNING, MEMORY, ERROR, RELEASED);
        put(table, FETCH, FLIGHT, MISSING, RELEASED);
        put(table, FLIGHT, MEMORY, FETCH, MISSING, ERROR, RELEASED);
        put(table, MISSING, FETCH, WAITING, ERROR, RELEASED);
        put(table, MEMORY, RELEASED);
        put(table, ERROR, RELEASED);
        return table;
    }

    private static void put(Map<WorkerTaskState, Set<WorkerTaskState>> table, WorkerTaskState start,
            WorkerTaskState first, WorkerTaskState... rest) {
        table.put(start, Collections.unmodifiableSet(EnumSet.of(first, rest)));
    }
}
