package org.weft.worker.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.node.SchedulerInstruction;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerTaskView;

/**
 * A worker's record of one task: its state, its links to the local tasks it depends on and that
 * depend on it, and its result or error. Only {@link WorkerState} changes it, on the worker's loop
 * thread; plugins read it as a {@link WorkerTaskView}.
 */
public final class WorkerTask implements WorkerTaskView {

    /** Order of the ready queue: priority ascending, then arrival order. */
    static final Comparator<WorkerTask> READY_ORDER = (a, b) -> {
        int byPriority = a.priority.compareTo(b.priority);
        return byPriority != 0 ? byPriority : Long.compare(a.arrival, b.arrival);
    };
    /** {@link #computeStartMillis} when the task holds no inline computation record. */
    private static final long NO_RECORD = Long.MIN_VALUE;

    private final String key;
    WorkerTaskState state = WorkerTaskState.RELEASED;

    /** What to run here; set while the scheduler wants this task computed here, else null. */
    SchedulerInstruction.ComputeTask compute;
    TaskPriority priority = TaskPriority.DEFAULT;
    long arrival;
    /** The run id of the scheduler's latest compute message for this key (0: none), echoed in the answer. */
    long runId;
    /** The scheduler knows this key is (or will be) held here; false for copies fetched for local use. */
    boolean computeRequested;
    /** Freed while executing: the executor thread is still busy and its result must be ignored. */
    boolean orphanedRun;
    /** While waiting: how many dependencies are not yet in memory. */
    int waitingFor;
    /** The abstract resources the task needs to run (from its compute message); empty if none. */
    Map<String, Double> resources = Map.of();
    /** The resources its run holds, from constrained → executing until the run returns; null if none. */
    Map<String, Double> heldResources;
    /** Its run occupies one of the worker's executor threads (not while seceded, i.e. long-running). */
    boolean holdsThread;

    private Set<WorkerTask> dependencies;
    private Set<WorkerTask> dependents;
    /** Workers other than this one that hold the result, sorted; the first free one is asked. */
    List<String> peers = List.of();
    /** The peer a transfer in flight was asked of. */
    String flightPeer;

    Object value;
    boolean holdsData;
    long nbytes = -1;
    /**
     * The usual start/stop record, one computation, inline (a worker holding a million finished
     * tasks holds no record objects for them); {@link #NO_RECORD} when there is none inline.
     */
    private long computeStartMillis = NO_RECORD;
    private long computeStopMillis;
    /** Every record, once the task has any other than one computation (a transfer, a recompute); else null. */
    private List<Startstop> startstops;
    String exceptionText;
    String traceback;

    WorkerTask(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public WorkerTaskState state() {
        return state;
    }

    @Override
    public long nbytes() {
        return nbytes;
    }

    @Override
    public String exceptionText() {
        return exceptionText;
    }

    @Override
    public String traceback() {
        return traceback;
    }

    @Override
    public List<Startstop> startstops() {
        if (startstops != null) {
            return startstops;
        }
        if (computeStartMillis == NO_RECORD) {
            return List.of();
        }
        // asked for (the finished report, each plugin event after it): made once, then kept; the
        // inline fields stay as they were, so a reader that finds no list yet makes an equal one
        List<Startstop> made = List.of(new Startstop("compute", computeStartMillis, computeStopMillis, null));
        startstops = made;
        return made;
    }

    /** The priority the scheduler gave this task (lower runs first). */
    public TaskPriority priority() {
        return priority;
    }

    /** The keys of the local tasks this one still needs, in the order they were named. */
    public Set<String> dependencyKeys() {
        if (dependencies == null) {
            return Set.of();
        }
        Set<String> keys = new LinkedHashSet<>();
        for (WorkerTask dependency : dependencies) {
            keys.add(dependency.key);
        }
        return keys;
    }

    Set<WorkerTask> dependencies() {
        return dependencies == null ? Set.of() : dependencies;
    }

    Set<WorkerTask> dependents() {
        return dependents == null ? Set.of() : dependents;
    }

    boolean hasDependents() {
        return dependents != null && !dependents.isEmpty();
    }

    /** Links this task to a dependency, both ways; false if it already was. */
    boolean link(WorkerTask dependency) {
        if (dependencies == null) {
            dependencies = new LinkedHashSet<>(4);
        }
        if (!dependencies.add(dependency)) {
            return false;
        }
        if (dependency.dependents == null) {
            dependency.dependents = new LinkedHashSet<>(4);
        }
        dependency.dependents.add(this);
        return true;
    }

    /** Drops the back-links to this task and returns the former dependencies (empty if none). */
    Set<WorkerTask> unlinkDependencies() {
        Set<WorkerTask> former = dependencies;
        dependencies = null;
        if (former == null) {
            return Set.of();
        }
        for (WorkerTask dependency : former) {
            dependency.dependents.remove(this);
        }
        return former;
    }

    int dependenciesNotInMemory() {
        int count = 0;
        if (dependencies != null) {
            for (WorkerTask dependency : dependencies) {
                if (dependency.state != WorkerTaskState.MEMORY) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Adds a start/stop record. A task's first record, when it is a computation, is kept inline;
     * a further record (or a first transfer) moves them all to an immutable list, copied on each
     * rare add, that {@link #startstops()} returns as it is.
     */
    void addStartstop(String action, long startMillis, long stopMillis, String source) {
        if (startstops == null && computeStartMillis == NO_RECORD && "compute".equals(action)) {
            computeStartMillis = startMillis;
            computeStopMillis = stopMillis;
            return;
        }
        List<Startstop> more = new ArrayList<>(startstops());
        more.add(new Startstop(action, startMillis, stopMillis, source));
        startstops = List.copyOf(more);
        computeStartMillis = NO_RECORD;
    }

    /** Replaces the known holders by {@code holders}, without {@code self}, sorted so the choice is stable. */
    void setPeers(Set<String> holders, String self) {
        if (holders.isEmpty() || holders.size() == 1 && holders.contains(self)) {
            peers = List.of();
            return;
        }
        List<String> sorted = new ArrayList<>(holders.size());
        for (String holder : holders) {
            if (!holder.equals(self)) {
                sorted.add(holder);
            }
        }
        Collections.sort(sorted);
        peers = sorted;
    }

    void removePeer(String peer) {
        if (peers.contains(peer)) {
            List<String> rest = new ArrayList<>(peers);
            rest.remove(peer);
            peers = rest;
        }
    }

    /** The name of the result's class, as the scheduler reports it. */
    String typeName() {
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "WorkerTask[" + key + ", " + state + "]";
    }
}
