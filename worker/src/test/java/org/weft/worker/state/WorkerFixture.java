package org.weft.worker.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.node.SchedulerInstruction.ComputeTask;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.WorkerTaskState;

/** A validating {@link WorkerState} that records its transitions, and compute messages to feed it. */
final class WorkerFixture implements WorkerEvents {

    static final String SELF = "w1";

    final WorkerState state;
    private final List<String> transitions = new ArrayList<>();

    WorkerFixture(int nthreads, Map<String, Double> resources) {
        this.state = new WorkerState(SELF, nthreads, resources, this, true, 1000);
    }

    @Override
    public void transition(WorkerTask task, WorkerTaskState start, WorkerTaskState finish, String stimulusId) {
        transitions.add(task.key() + ":" + start.label() + "->" + finish.label());
    }

    /** The transitions since the last call. */
    List<String> take() {
        List<String> taken = List.copyOf(transitions);
        transitions.clear();
        return taken;
    }

    /** The state of {@code key} here, or null if unknown. */
    WorkerTaskState stateOf(String key) {
        WorkerTask task = state.tasks().get(key);
        return task == null ? null : task.state();
    }

    static ComputeTask compute(String key, Map<String, Double> resources, long order, String stimulusId) {
        return new ComputeTask(SELF, key, "fn-" + key, List.of(), Map.of(), new TaskPriority(0, 0, order), resources,
                stimulusId);
    }

    static ComputeTask compute(String key, String stimulusId) {
        return compute(key, Map.of(), 0, stimulusId);
    }

    /** A task that needs {@code dependency}, held by {@code peer}. */
    static ComputeTask dependent(String key, String dependency, String peer, String stimulusId) {
        return new ComputeTask(SELF, key, "fn-" + key, List.of(new org.weft.protocol.TaskRef(dependency)),
                Map.of(dependency, Set.of(peer)), TaskPriority.DEFAULT, Map.of(), stimulusId);
    }
}
