package org.weft.examples.taskstate;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.weft.plugin.api.PluginName;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.SchedulerView;
import org.weft.plugin.api.TaskView;
import org.weft.plugin.api.TransitionEvent;

/**
 * The seed's "Accessing Full Task State": keeps the {@link SchedulerView} given to {@code start}
 * and, on each transition, reads the task's full record ({@code scheduler.tasks().get(key)}):
 * its dependencies, dependents, worker and size.
 *
 * <p>From those it keeps a few aggregates, shown by the shell command {@code taskstate:summary}.
 * Hooks run on the scheduler loop thread and the command on the shell's, so the aggregates are
 * guarded by this object's monitor (uncontended on the loop thread, hence cheap).
 */
@Component(
        service = {SchedulerPlugin.class, Object.class},
        property = {"osgi.command.scope=taskstate", "osgi.command.function=summary"})
@PluginName("task-state")
public class TaskStatePlugin implements SchedulerPlugin {

    private SchedulerView scheduler; // set in start, read on the loop thread only

    // guarded by this
    private final Map<String, Long> bytesInMemory = new HashMap<>();
    private long totalBytesInMemory;
    private int maxFanIn;
    private String maxFanInKey;
    private int maxFanOut;
    private String maxFanOutKey;
    private final Map<String, Long> processingStartsByWorker = new HashMap<>();

    @Override
    public void start(SchedulerView scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public synchronized void transition(TransitionEvent event) {
        TaskView task = scheduler.tasks().get(event.key());
        if (task == null) {
            return;
        }
        int fanIn = task.dependencies().size();
        if (fanIn > maxFanIn) {
            maxFanIn = fanIn;
            maxFanInKey = task.key();
        }
        int fanOut = task.dependents().size();
        if (fanOut > maxFanOut) {
            maxFanOut = fanOut;
            maxFanOutKey = task.key();
        }
        if (event.finish() == SchedulerTaskState.PROCESSING && task.processingOn() != null) {
            processingStartsByWorker.merge(task.processingOn(), 1L, Long::sum);
        }
        // a task's size is remembered when it enters memory: once it leaves, the view may no longer have it
        if (event.start() == SchedulerTaskState.MEMORY) {
            Long bytes = bytesInMemory.remove(task.key());
            if (bytes != null) {
                totalBytesInMemory -= bytes;
            }
        }
        if (event.finish() == SchedulerTaskState.MEMORY) {
            long bytes = Math.max(0, task.nbytes());
            Long previous = bytesInMemory.put(task.key(), bytes);
            totalBytesInMemory += bytes - (previous == null ? 0 : previous);
        }
    }

    @Override
    public synchronized void restart(SchedulerView scheduler) {
        bytesInMemory.clear();
        totalBytesInMemory = 0;
        maxFanIn = 0;
        maxFanInKey = null;
        maxFanOut = 0;
        maxFanOutKey = null;
        processingStartsByWorker.clear();
    }

    /** Shell command {@code taskstate:summary}. */
    public synchronized String summary() {
        String busiest = processingStartsByWorker.entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " (" + e.getValue() + " tasks)")
                .orElse("-");
        String nl = System.lineSeparator();
        return "in memory: " + bytesInMemory.size() + " tasks, " + totalBytesInMemory + " bytes" + nl
                + "max fan-in: " + maxFanIn + keyOf(maxFanInKey) + nl
                + "max fan-out: " + maxFanOut + keyOf(maxFanOutKey) + nl
                + "busiest worker: " + busiest;
    }

    private static String keyOf(String key) {
        return key == null ? "" : " (" + key + ")";
    }

    synchronized long totalBytesInMemory() {
        return totalBytesInMemory;
    }

    synchronized int maxFanIn() {
        return maxFanIn;
    }

    synchronized int maxFanOut() {
        return maxFanOut;
    }
}
