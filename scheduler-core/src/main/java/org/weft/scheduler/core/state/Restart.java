package org.weft.scheduler.core.state;

import static org.weft.plugin.api.SchedulerTaskState.FORGOTTEN;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.weft.node.SchedulerInstruction;

/**
 * Clearing the task state for {@code restart()}, after Dask's {@code Scheduler.restart}: every
 * client is told its keys are gone (reason {@value #REASON}), every task is forgotten through the
 * transition table (dependents first, so a result goes {@code memory → forgotten} as in Dask, a
 * task not finished through {@code released}, and workers are told to free what they hold), and
 * whatever the table could not take out is dropped.
 */
final class Restart {

    static final String REASON = "restart";

    private final SchedulerState s;

    Restart(SchedulerState state) {
        this.s = state;
    }

    /** Drops every client's wants, telling each client, and recommends every task towards forgotten. */
    void releaseAll() {
        for (String client : s.clients) {
            for (TaskState ts : s.wantedBy(client)) {
                ts.removeWanter(client);
                s.outbox.add(new SchedulerInstruction.ReportForgotten(client, ts.key, REASON));
            }
        }
        for (TaskState ts : dependentsFirst()) {
            s.recommend(ts, FORGOTTEN); // released instead while a dependent is still there; forgotten with it
        }
    }

    /**
     * Drops tasks still known after the transitions (none, unless a rule kept one) from the
     * scheduler and its worker records, without transitions.
     *
     * @return how many were dropped
     */
    int dropLeftovers() {
        int left = s.tasks.size();
        if (left > 0) {
            for (WorkerRecord ws : s.workers.values()) {
                ws.processing.clear();
                ws.hasWhat.clear();
                ws.nbytes = 0;
                ws.longRunning = 0;
            }
            s.unrunnable.clear();
            s.queued.clear();
            s.steals.inFlight.clear();
            s.tasks.clear();
        }
        // as Dask's clear_task_state: task groups and their durations start afresh
        s.groups.clear();
        s.placement.resetOccupancy();
        return left;
    }

    /** Every task, each after all tasks that depend on it. */
    private List<TaskState> dependentsFirst() {
        List<TaskState> out = new ArrayList<>(s.tasks.size());
        Set<TaskState> visited = new HashSet<>(s.tasks.size() * 2);
        for (TaskState root : new ArrayList<>(s.tasks.values())) {
            DependentsWalk.postOrder(root, visited, ts -> ts.dependents.iterator(), out);
        }
        return out;
    }
}
