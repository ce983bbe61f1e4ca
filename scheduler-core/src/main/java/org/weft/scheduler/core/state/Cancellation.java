package org.weft.scheduler.core.state;

import static org.weft.plugin.api.SchedulerTaskState.FORGOTTEN;
import static org.weft.plugin.api.SchedulerTaskState.RELEASED;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.weft.node.SchedulerInstruction;

/**
 * Cancelling keys and their dependents, after Dask's {@code Scheduler.cancel_key}.
 *
 * <p>For each key: the clients that stop wanting it are the canceller only, or, with {@code force},
 * every client that wants it. A key some other client still wants stays for that client and is
 * not cascaded (Dask); otherwise its dependents are cancelled the same way, recursively. Every
 * client that stops wanting a key is told so ({@link SchedulerInstruction.ReportCancelled}). Tasks
 * that end up wanted by nobody and needed by no remaining task are forgotten, dependents first, as
 * Dask's {@code client_releases_keys} forgets them: a result goes {@code memory → forgotten}, a task
 * not yet finished through {@code released}. A task some remaining task still depends on is
 * released instead.
 *
 * <p>The shell cancels as no client ({@code client == null}): without {@code force} it cancels a key
 * only when at most one client wants it (for that client), and leaves keys several clients want.
 */
final class Cancellation {

    private final SchedulerState s;

    Cancellation(SchedulerState state) {
        this.s = state;
    }

    CancelOutcome cancel(String client, Collection<String> keys, boolean force) {
        List<String> cancelled = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Set<TaskState> visited = new HashSet<>();
        List<TaskState> dependentsFirst = new ArrayList<>();
        for (String key : new LinkedHashSet<>(keys)) {
            TaskState ts = s.tasks.get(key);
            if (ts == null) {
                unknown.add(key);
                continue;
            }
            DependentsWalk.postOrder(ts, visited, t -> enter(t, client, force), dependentsFirst);
            (ts.whoWants.isEmpty() ? cancelled : kept).add(key);
        }
        release(dependentsFirst);
        return new CancelOutcome(cancelled, kept, unknown);
    }

    /** Drops the wants of this cancel on {@code ts}; returns the dependents to cascade to. */
    private Iterator<TaskState> enter(TaskState ts, String client, boolean force) {
        List<String> dropped = new ArrayList<>(1);
        if (force) {
            dropped.addAll(ts.whoWants);
        } else if (client != null) {
            if (ts.whoWants.contains(client)) {
                dropped.add(client);
            }
        } else if (ts.whoWants.size() == 1) {
            dropped.addAll(ts.whoWants);
        }
        for (String c : dropped) {
            ts.removeWanter(c);
            s.outbox.add(new SchedulerInstruction.ReportCancelled(c, ts.key));
        }
        if (!ts.whoWants.isEmpty()) {
            return List.<TaskState>of().iterator(); // still wanted: stays, and so do its dependents
        }
        return new ArrayList<>(ts.dependents).iterator();
    }

    /** Forgets (or releases) the tasks nobody wants and no remaining task needs, dependents first. */
    private void release(List<TaskState> dependentsFirst) {
        Set<TaskState> leaving = new HashSet<>();
        for (TaskState ts : dependentsFirst) {
            if (ts.state == FORGOTTEN || !ts.whoWants.isEmpty() || !leaving.containsAll(ts.waiters)) {
                continue;
            }
            leaving.add(ts);
            if (leaving.containsAll(ts.dependents)) {
                s.recommend(ts, FORGOTTEN); // released instead if a dependent is still there when its turn comes
            } else if (ts.state != RELEASED) {
                s.recommend(ts, RELEASED);
            }
        }
    }
}
