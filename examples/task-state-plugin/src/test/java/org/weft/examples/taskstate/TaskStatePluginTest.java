package org.weft.examples.taskstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.plugin.api.SchedulerTaskState.MEMORY;
import static org.weft.plugin.api.SchedulerTaskState.PROCESSING;
import static org.weft.plugin.api.SchedulerTaskState.RELEASED;
import static org.weft.plugin.api.SchedulerTaskState.WAITING;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TaskPriority;
import org.weft.plugin.api.TaskView;
import org.weft.plugin.api.TransitionEvent;
import org.weft.plugin.api.TransitionRecord;
import org.weft.plugin.api.WorkerInfo;

class TaskStatePluginTest {

    /** Just enough of a scheduler task: the fields the plugin reads are settable. */
    private static final class FakeTask implements TaskView {
        final String key;
        final List<FakeTask> dependencies = new ArrayList<>();
        final List<FakeTask> dependents = new ArrayList<>();
        String processingOn;
        long nbytes = -1;

        FakeTask(String key) {
            this.key = key;
        }

        void dependsOn(FakeTask... others) {
            for (FakeTask other : others) {
                dependencies.add(other);
                other.dependents.add(this);
            }
        }

        @Override public String key() { return key; }
        @Override public String prefix() { return key; }
        @Override public String function() { return "f"; }
        @Override public SchedulerTaskState state() { return null; }
        @Override public Collection<? extends TaskView> dependencies() { return dependencies; }
        @Override public Collection<? extends TaskView> dependents() { return dependents; }
        @Override public String processingOn() { return processingOn; }
        @Override public Set<String> whoHas() { return Set.of(); }
        @Override public long nbytes() { return nbytes; }
        @Override public String typeName() { return null; }
        @Override public int retries() { return 0; }
        @Override public String exceptionText() { return null; }
        @Override public String traceback() { return null; }
        @Override public String exceptionBlame() { return null; }
        @Override public Set<String> wantedBy() { return Set.of(); }
        @Override public TaskPriority priority() { return TaskPriority.DEFAULT; }
        @Override public Map<String, Object> annotations() { return Map.of(); }
    }

    private final Map<String, FakeTask> tasks = new HashMap<>();

    private final SchedulerView scheduler = new SchedulerView() {
        @Override public Map<String, ? extends TaskView> tasks() { return tasks; }
        @Override public Map<String, ? extends WorkerInfo> workers() { return Map.of(); }
        @Override public Set<String> clients() { return Set.of(); }
        @Override public List<TransitionRecord> story(String key) { return List.of(); }
    };

    private FakeTask task(String key) {
        FakeTask task = new FakeTask(key);
        tasks.put(key, task);
        return task;
    }

    private static TransitionEvent event(String key, SchedulerTaskState start, SchedulerTaskState finish) {
        return new TransitionEvent(key, start, finish, "test-" + key, null, -1, null, null, null, null);
    }

    /** Runs a task through processing into memory on a worker, with the given result size. */
    private void compute(TaskStatePlugin plugin, FakeTask task, String worker, long nbytes) {
        plugin.transition(event(task.key, RELEASED, WAITING));
        task.processingOn = worker;
        plugin.transition(event(task.key, WAITING, PROCESSING));
        task.processingOn = null;
        task.nbytes = nbytes;
        plugin.transition(event(task.key, PROCESSING, MEMORY));
    }

    @Test
    void readsDependenciesDependentsAndSizesThroughTheView() {
        FakeTask x1 = task("x-1");
        FakeTask x2 = task("x-2");
        FakeTask x3 = task("x-3");
        FakeTask sum = task("sum");
        sum.dependsOn(x1, x2, x3);
        TaskStatePlugin plugin = new TaskStatePlugin();
        plugin.start(scheduler);

        compute(plugin, x1, "tcp://w1", 100);
        compute(plugin, x2, "tcp://w2", 200);
        compute(plugin, x3, "tcp://w2", 300);
        compute(plugin, sum, "tcp://w2", 8);

        assertEquals(3, plugin.maxFanIn());
        assertEquals(1, plugin.maxFanOut());
        assertEquals(608, plugin.totalBytesInMemory());

        String summary = plugin.summary();
        assertTrue(summary.contains("in memory: 4 tasks, 608 bytes"), summary);
        assertTrue(summary.contains("max fan-in: 3 (sum)"), summary);
        assertTrue(summary.contains("busiest worker: tcp://w2 (3 tasks)"), summary);
    }

    @Test
    void bytesLeaveWithTheTaskAndRestartClearsEverything() {
        FakeTask a = task("a");
        FakeTask b = task("b");
        b.dependsOn(a);
        TaskStatePlugin plugin = new TaskStatePlugin();
        plugin.start(scheduler);
        compute(plugin, a, "tcp://w1", 1000);
        compute(plugin, b, "tcp://w1", -1); // unknown size counts as 0

        a.nbytes = -1; // the scheduler may forget the size on release; the plugin remembered it
        plugin.transition(event("a", MEMORY, RELEASED));
        assertEquals(0, plugin.totalBytesInMemory());

        plugin.restart(scheduler);
        assertEquals(0, plugin.maxFanIn());
        assertTrue(plugin.summary().contains("in memory: 0 tasks, 0 bytes"), plugin.summary());
        assertTrue(plugin.summary().contains("busiest worker: -"), plugin.summary());
    }
}
