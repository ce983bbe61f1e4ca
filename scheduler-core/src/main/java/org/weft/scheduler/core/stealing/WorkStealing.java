package org.weft.scheduler.core.stealing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TaskView;
import org.weft.plugin.api.TransitionEvent;
import org.weft.plugin.api.WorkerEvent;
import org.weft.plugin.api.WorkerInfo;

/**
 * Work stealing, written as an ordinary scheduler plugin over the public plugin API, as Dask
 * writes it: when a worker has become idle while another is saturated, tasks that were sent to the
 * saturated worker but have not started there are moved to the idle one. The scheduler asks the
 * victim ({@link SchedulerView#stealTask}); the victim confirms (the task had not started) or
 * rejects it.
 *
 * <p>Policy, simpler than Dask's cost levels: balancing runs after a task leaves processing or a
 * worker joins, at most every {@link #intervalNanos}; each idle thief takes, from the most occupied
 * saturated victim, tasks whose inputs it can fetch in less than half the victim's average task
 * duration, until the thief has one task per thread. Turned off with {@code workStealing = false}
 * in {@code etc/org.weft.scheduler.cfg}, or removed at runtime with
 * {@code weft:plugin-remove stealing}.
 */
public final class WorkStealing implements SchedulerPlugin {

    /** The name the built-in plugin is registered under. */
    public static final String NAME = "stealing";

    private final long intervalNanos;
    private final double bandwidth;
    private SchedulerView scheduler;
    private long lastBalance;
    private long requested;

    /**
     * @param intervalMillis the shortest time between two balancing rounds (Dask balances every 100 ms)
     * @param bandwidth bytes per second assumed between workers
     */
    public WorkStealing(long intervalMillis, double bandwidth) {
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.bandwidth = bandwidth;
    }

    @Override
    public void start(SchedulerView view) {
        this.scheduler = view;
        this.lastBalance = System.nanoTime() - intervalNanos;
    }

    /** Only tasks leaving processing: one event per task rather than five. */
    @Override
    public boolean wantsTransition(SchedulerTaskState start, SchedulerTaskState finish) {
        return start == SchedulerTaskState.PROCESSING;
    }

    @Override
    public void transition(TransitionEvent event) {
        maybeBalance();
    }

    @Override
    public void addWorker(WorkerEvent event) {
        maybeBalance();
    }

    /** How many steals this plugin has asked for since it started. */
    public long requested() {
        return requested;
    }

    /**
     * Cheap checks first (they run after every task): only when some worker could give work and
     * another could take it is the clock read, to balance at most every {@link #intervalNanos}.
     */
    private void maybeBalance() {
        Set<String> idle = scheduler.idleWorkers();
        if (idle.isEmpty() || idle.size() == scheduler.workers().size() && scheduler.saturatedWorkers().isEmpty()) {
            return;
        }
        List<WorkerInfo> victims = victims(scheduler.saturatedWorkers(), idle);
        if (victims.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastBalance < intervalNanos) {
            return;
        }
        lastBalance = now;
        balance(idle, victims);
    }

    /**
     * The saturated workers, most occupied first; if none is marked saturated, as in Dask, any
     * worker with more tasks than threads and more than 0.2 s of work queued.
     */
    private List<WorkerInfo> victims(Set<String> saturated, Set<String> idle) {
        List<WorkerInfo> victims = null;
        for (WorkerInfo ws : scheduler.workers().values()) {
            boolean loaded = saturated.contains(ws.address()) || !idle.contains(ws.address())
                    && saturated.isEmpty() && ws.occupancy() > 0.2 && ws.processingCount() > ws.nthreads();
            if (loaded) {
                if (victims == null) {
                    victims = new ArrayList<>(2);
                }
                victims.add(ws);
            }
        }
        if (victims == null) {
            return List.of();
        }
        victims.sort(Comparator.comparingDouble(WorkerInfo::occupancy).reversed());
        return victims;
    }

    private void balance(Set<String> idle, List<WorkerInfo> victims) {
        Map<String, ? extends WorkerInfo> workers = scheduler.workers();
        for (String address : idle) {
            WorkerInfo thief = workers.get(address);
            if (thief == null || victims.isEmpty()) {
                continue;
            }
            int wanted = thief.nthreads() - thief.processingCount();
            WorkerInfo victim = victims.get(0);
            for (String key : victim.processing()) {
                if (wanted <= 0) {
                    break;
                }
                if (cheapToMove(key, victim, thief) && scheduler.stealTask(key, thief.address())) {
                    requested++;
                    wanted--;
                }
            }
        }
    }

    /** Whether fetching the task's inputs to the thief takes less than half the victim's average task duration. */
    private boolean cheapToMove(String key, WorkerInfo victim, WorkerInfo thief) {
        TaskView task = scheduler.tasks().get(key);
        if (task == null) {
            return false;
        }
        long bytes = 0;
        for (TaskView dep : task.dependencies()) {
            if (!dep.whoHas().contains(thief.address())) {
                bytes += Math.max(0, dep.nbytes());
            }
        }
        if (bytes == 0) {
            return true;
        }
        int processing = Math.max(1, victim.processingCount());
        double averageSeconds = victim.occupancy() / processing;
        return bytes / bandwidth < averageSeconds / 2;
    }
}
