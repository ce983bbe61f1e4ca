package org.weft.scheduler.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.TaskView;
import org.weft.protocol.TaskSpec;

/**
 * The scheduler's record of one task. Mutated only by {@link SchedulerState} on its loop thread;
 * plugins see it through {@link TaskView}.
 */
public final class TaskState implements TaskView {

    final String key;
    final String function;
    final List<Object> args;
    // the TaskPriority, inline: compared on every queue operation, and one object less per task
    final int userPriority;
    final long generation;
    final long order;
    final TaskGroup group;
    /** Worker addresses or hosts this task may run on; empty means anywhere. */
    final Set<String> workerRestrictions;
    /** Whether the task may run elsewhere when no worker in {@link #workerRestrictions} is there. */
    final boolean looseRestrictions;
    /** Abstract resources the task holds while it runs; empty if none. */
    final Map<String, Double> resources;
    SchedulerTaskState state = SchedulerTaskState.RELEASED;
    /** This task's place in {@link TaskQueue} while queued, else -1. */
    int queueIndex = -1;
    /** The state {@link Recommendations} holds this task for, or null when it is not there. */
    SchedulerTaskState recommended;

    // The task's relations. Most stay empty, and there are a million tasks: each starts as the
    // shared empty collection (reads, removes and clears work; an add throws) and gets its own
    // compact one, kept from then on, from the add* methods below, the only way to add.
    private static final List<TaskState> NO_TASKS_LIST = Collections.emptyList();
    List<TaskState> dependencies = NO_TASKS_LIST;
    Set<TaskState> dependents = Collections.emptySet();
    /** Dependencies not yet in memory (while waiting). */
    Set<TaskState> waitingOn = Collections.emptySet();
    /** Dependents that still need this task's result. */
    Set<TaskState> waiters = Collections.emptySet();
    /** Empty, one client's shared {@code Set.of(client)}, or a set of its own: change it only through addWanter/removeWanter. */
    Set<String> whoWants = Collections.emptySet();
    /** Empty, one worker's shared {@code Set.of(worker)}, or a set of its own: change it only through addHolder/removeHolder/clearHolders. */
    Set<WorkerRecord> whoHas = Collections.emptySet();
    WorkerRecord processingOn;
    /** The run id of the latest compute message sent for this task (0: never sent); see {@link SchedulerState#taskFinished}. */
    long runId;
    /** The worker whose run of this task erred (Dask's {@code erred_on}): it keeps the error until told to free it. */
    WorkerRecord erredOn;
    /** What this task adds to its worker's occupancy while processing there (seconds). */
    double occupancyCost;
    /** Seceded from the worker's thread pool while processing. */
    boolean longRunning;

    int retries;
    int suspicious;
    long nbytes = -1;
    String typeName;
    /**
     * The start/stop records of the worker's report being handled, for the duration estimate and
     * the plugins' transition events; empty outside that stimulus. As in Dask, whose scheduler has
     * them only as the transition's arguments, the task does not keep them: a million finished
     * tasks held hold no records (the worker that ran a task keeps its own).
     */
    List<Startstop> startstops = List.of();
    String exceptionText;
    String traceback;
    TaskState exceptionBlame;

    TaskState(TaskSpec spec, int userPriority, long generation, long order, TaskGroup group) {
        this.key = spec.key();
        this.function = spec.function();
        this.args = spec.args();
        this.retries = spec.retries();
        this.userPriority = userPriority;
        this.generation = generation;
        this.order = order;
        this.group = group;
        this.workerRestrictions = spec.workers();
        this.looseRestrictions = spec.looseRestrictions();
        this.resources = spec.resources();
    }

    /** Whether only some workers may run this task (named ones, or ones offering its resources). */
    boolean restricted() {
        return !workerRestrictions.isEmpty() || !resources.isEmpty();
    }

    /** Dask's {@code key_split}: {@code inc-1f2e3d4c} → {@code inc}, {@code pi-chunk-17} → {@code pi-chunk}. */
    static String keyPrefix(String key) {
        return key.substring(0, keyPrefixLength(key));
    }

    /**
     * The length of {@link #keyPrefix}: the first word, then each further word made only of
     * letters, up to an empty word, a word with another character or an 8-digit hex token. Found
     * without allocating, since it runs for every task of every graph.
     */
    static int keyPrefixLength(String key) {
        return TaskView.prefixLength(key);
    }

    public List<Object> args() {
        return args;
    }

    @Override
    public TaskPriority priority() {
        return new TaskPriority(userPriority, generation, order);
    }

    /** Built on each call (nothing per task is kept for it): Dask's names for what the task was submitted with. */
    @Override
    public Map<String, Object> annotations() {
        Map<String, Object> out = new LinkedHashMap<>(8);
        if (userPriority != 0) {
            out.put("priority", userPriority);
        }
        if (!workerRestrictions.isEmpty()) {
            out.put("workers", workerRestrictions);
            if (looseRestrictions) {
                out.put("allow_other_workers", true);
            }
        }
        if (!resources.isEmpty()) {
            out.put("resources", resources);
        }
        return out.isEmpty() ? Map.of() : Collections.unmodifiableMap(out);
    }

    /** As {@link TaskPriority#compareTo}, without building the records. */
    int comparePriority(TaskState other) {
        int byUser = Integer.compare(other.userPriority, userPriority);
        if (byUser != 0) {
            return byUser;
        }
        int byGeneration = Long.compare(generation, other.generation);
        return byGeneration != 0 ? byGeneration : Long.compare(order, other.order);
    }

    void addDependency(TaskState dependency) {
        if (dependencies == NO_TASKS_LIST) {
            dependencies = new ArrayList<>(2);
        }
        dependencies.add(dependency);
    }

    void addDependent(TaskState dependent) {
        dependents = withAdded(dependents, dependent);
    }

    void addWaitingOn(TaskState dependency) {
        waitingOn = withAdded(waitingOn, dependency);
    }

    void addWaiter(TaskState dependent) {
        waiters = withAdded(waiters, dependent);
    }

    /**
     * {@code client} wants this task. {@code sole} is that client's shared {@code Set.of(client)}:
     * most tasks are wanted by one client, so they share that set rather than each holding one.
     */
    void addWanter(String client, Set<String> sole) {
        whoWants = withShared(whoWants, client, sole);
    }

    /** {@code client} no longer wants this task; whether it did. */
    boolean removeWanter(String client) {
        boolean had = whoWants.contains(client);
        whoWants = without(whoWants, client);
        return had;
    }

    /**
     * {@code worker} holds the result. Most results are held by one worker, so the task shares
     * that worker's {@code Set.of(worker)} until a second one holds it too.
     */
    void addHolder(WorkerRecord worker) {
        whoHas = withShared(whoHas, worker, worker.alone);
    }

    /** {@code worker} no longer holds the result; whether it did. */
    boolean removeHolder(WorkerRecord worker) {
        boolean had = whoHas.contains(worker);
        whoHas = without(whoHas, worker);
        return had;
    }

    void clearHolders() {
        whoHas = Collections.emptySet();
    }

    /** Where the task is: the worker processing it, else one holding its result, else null. */
    WorkerRecord where() {
        return processingOn != null ? processingOn : firstHolder();
    }

    /** One worker holding the result (the first to get it), or null. */
    WorkerRecord firstHolder() {
        if (whoHas instanceof CompactSet<WorkerRecord> own) {
            return own.first();
        }
        return whoHas.isEmpty() ? null : whoHas.iterator().next(); // a worker's shared Set.of(worker)
    }

    /**
     * {@code set} with {@code e} added, {@code alone} being a shared {@code Set.of(e)}: the empty
     * set becomes {@code alone}; a shared set of another element becomes a set of the task's own.
     */
    private static <E> Set<E> withShared(Set<E> set, E e, Set<E> alone) {
        if (set.isEmpty()) {
            return alone;
        }
        if (set instanceof CompactSet<E> own) {
            own.add(e);
            return own;
        }
        if (set.contains(e)) {
            return set;
        }
        CompactSet<E> own = new CompactSet<>();
        own.addAll(set);
        own.add(e);
        return own;
    }

    /** {@code set} without {@code e}; a shared singleton of {@code e} becomes the empty set. */
    private static <E> Set<E> without(Set<E> set, E e) {
        if (set instanceof CompactSet<E> own) {
            own.remove(e);
            return own;
        }
        return set.contains(e) ? Collections.emptySet() : set;
    }

    /** {@code set} with {@code e} added: the shared empty set is replaced by a set of the task's own. */
    private static <E> Set<E> withAdded(Set<E> set, E e) {
        Set<E> own = set == Collections.<E>emptySet() ? new CompactSet<>() : set;
        own.add(e);
        return own;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String prefix() {
        return group.name;
    }

    @Override
    public String function() {
        return function;
    }

    @Override
    public SchedulerTaskState state() {
        return state;
    }

    @Override
    public Collection<TaskState> dependencies() {
        return Collections.unmodifiableList(dependencies);
    }

    @Override
    public Collection<TaskState> dependents() {
        return Collections.unmodifiableSet(dependents);
    }

    @Override
    public String processingOn() {
        return processingOn == null ? null : processingOn.address;
    }

    @Override
    public Set<String> whoHas() {
        if (whoHas.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (WorkerRecord w : whoHas) {
            out.add(w.address);
        }
        return out;
    }

    @Override
    public long nbytes() {
        return nbytes;
    }

    @Override
    public String typeName() {
        return typeName;
    }

    @Override
    public int retries() {
        return retries;
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
    public String exceptionBlame() {
        return exceptionBlame == null ? null : exceptionBlame.key;
    }

    @Override
    public Set<String> wantedBy() {
        return Collections.unmodifiableSet(whoWants);
    }

    /** The records of the worker's report being handled (see the field); empty outside that stimulus. */
    public List<Startstop> startstops() {
        return startstops;
    }

    /** Identity, as every task is one object; the hash is the key's, so hash sets of tasks iterate in the same order every run. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return "<Task '" + key + "' " + state + ">";
    }
}
