package org.weft.scheduler.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.client.spi.TaskSpec;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.Startstop;
import org.weft.plugin.api.TaskView;

/**
 * The scheduler's record of one task. Mutated only by {@link SchedulerState} on its loop thread;
 * plugins see it through {@link TaskView}.
 */
public final class TaskState implements TaskView {

    final String key;
    final String prefix;
    final String function;
    final List<Object> args;
    final TaskPriority priority;
    final TaskGroup group;
    /** Worker addresses or hosts this task may run on; empty means anywhere. */
    final Set<String> workerRestrictions;
    /** Whether the task may run elsewhere when no worker in {@link #workerRestrictions} is there. */
    final boolean looseRestrictions;
    /** Abstract resources the task holds while it runs; empty if none. */
    final Map<String, Double> resources;
    SchedulerTaskState state = SchedulerTaskState.RELEASED;

    final List<TaskState> dependencies = new ArrayList<>(2);
    final Set<TaskState> dependents = new LinkedHashSet<>(2);
    /** Dependencies not yet in memory (while waiting). */
    final Set<TaskState> waitingOn = new HashSet<>(2);
    /** Dependents that still need this task's result. */
    final Set<TaskState> waiters = new HashSet<>(2);
    final Set<String> whoWants = new HashSet<>(1);
    final Set<WorkerRecord> whoHas = new HashSet<>(1);
    WorkerRecord processingOn;
    /** What this task adds to its worker's occupancy while processing there (seconds). */
    double occupancyCost;
    /** Seceded from the worker's thread pool while processing. */
    boolean longRunning;

    int retries;
    int suspicious;
    long nbytes = -1;
    String typeName;
    List<Startstop> startstops = List.of();
    String exceptionText;
    String traceback;
    TaskState exceptionBlame;

    TaskState(TaskSpec spec, TaskPriority priority, TaskGroup group) {
        this.key = spec.key();
        this.prefix = group.name;
        this.function = spec.function();
        this.args = spec.args();
        this.retries = spec.retries();
        this.priority = priority;
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
        int start = 0;
        int end = key.indexOf('-');
        if (end < 0) {
            return key;
        }
        StringBuilder prefix = new StringBuilder(key.substring(0, end));
        while (end < key.length()) {
            start = end + 1;
            end = key.indexOf('-', start);
            if (end < 0) {
                end = key.length();
            }
            String word = key.substring(start, end);
            if (word.isEmpty() || !isAlpha(word) || (word.length() == 8 && isHex(word))) {
                break;
            }
            prefix.append('-').append(word);
        }
        return prefix.toString();
    }

    private static boolean isAlpha(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isLetter(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    public List<Object> args() {
        return args;
    }

    public TaskPriority priority() {
        return priority;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String prefix() {
        return prefix;
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

    public List<Startstop> startstops() {
        return startstops;
    }

    @Override
    public String toString() {
        return "<Task '" + key + "' " + state + ">";
    }
}
