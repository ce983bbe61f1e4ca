package org.weft.pluginhost;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TaskView;
import org.weft.plugin.api.TransitionEvent;
import org.weft.plugin.api.TransitionRecord;
import org.weft.plugin.api.WorkerInfo;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerTaskView;
import org.weft.plugin.api.WorkerTransitionEvent;
import org.weft.plugin.api.WorkerView;

/** Views and events for host tests. */
final class Fixtures {

    static final String WORKER_ADDRESS = "tcp://127.0.0.1:40001";

    private Fixtures() {
    }

    static SchedulerView schedulerView() {
        return new SchedulerView() {
            @Override
            public Map<String, ? extends TaskView> tasks() {
                return Map.of();
            }

            @Override
            public Map<String, ? extends WorkerInfo> workers() {
                return Map.of();
            }

            @Override
            public Set<String> clients() {
                return Set.of();
            }

            @Override
            public List<TransitionRecord> story(String key) {
                return List.of();
            }
        };
    }

    static WorkerView workerView() {
        return new WorkerView() {
            @Override
            public String address() {
                return WORKER_ADDRESS;
            }

            @Override
            public int nthreads() {
                return 2;
            }

            @Override
            public Map<String, ? extends WorkerTaskView> tasks() {
                return Map.of();
            }
        };
    }

    static TransitionEvent transition(String key) {
        return new TransitionEvent(key, SchedulerTaskState.WAITING, SchedulerTaskState.PROCESSING, "stim-" + key,
                null, -1, null, List.of(), null, null);
    }

    static WorkerTransitionEvent workerTransition(String key) {
        return new WorkerTransitionEvent(key, WorkerTaskState.READY, WorkerTaskState.EXECUTING, "stim-" + key,
                WORKER_ADDRESS, -1, List.of(), null, null);
    }

    static PluginStatus statusOf(List<PluginStatus> all, String name, PluginState state) {
        return all.stream().filter(s -> s.name().equals(name) && s.state() == state).findFirst()
                .orElseThrow(() -> new AssertionError("no " + state + " status for '" + name + "' in " + all));
    }
}
