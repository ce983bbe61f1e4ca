package org.weft.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.weft.node.SchedulerInstruction;
import org.weft.protocol.TaskSpec;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.state.SchedulerState;

/**
 * The cost of one scheduler transition on a pure {@link SchedulerState} (no loop, no plugins, no
 * I/O): no-op tasks go released → waiting → processing → memory → forgotten, four transitions
 * each (five until the released result took Dask's direct memory → forgotten), and the figure is the time per transition ({@link OperationsPerInvocation}).
 *
 * <ul>
 *   <li>{@link #oneTaskPerStimulus}: one task per stimulus (submit, finish, release): the per-stimulus
 *       overhead (graph check, outbox) shows.</li>
 *   <li>{@link #thousandTasksPerStimulus}: 1,000 tasks in one graph, finished one by one, released in
 *       one call: closer to the no-op workload.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransitionJmh {

    static final int TRANSITIONS_PER_TASK = 4;
    static final int BATCH = 1000;

    SchedulerState state;
    List<TaskSpec> one;
    Set<String> oneWanted;
    List<TaskSpec> batch;
    Set<String> batchWanted;
    List<String> batchKeys;
    long seq;

    @Setup
    public void setUp() {
        // queuing off: every task goes released → waiting → processing in the stimulus that submits it,
        // so each stimulus makes the transitions named here (with queuing, root-ish tasks also pass queued)
        setUp(new SchedulerState(SchedulerConfig.DEFAULTS.withWorkerSaturation(Double.POSITIVE_INFINITY), null));
    }

    /** The same workload on a state made elsewhere (with plugins: {@link PluginTransitionJmh}). */
    void setUp(SchedulerState state) {
        this.state = state;
        state.addClient("client");
        state.addWorker("w1", 1, "add-w1");
        state.addWorker("w2", 1, "add-w2");
        one = List.of(new TaskSpec("noop-x", "noop", List.of()));
        oneWanted = Set.of("noop-x");
        batch = new ArrayList<>(BATCH);
        batchKeys = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(new TaskSpec("noop-" + i, "noop", List.of()));
            batchKeys.add("noop-" + i);
        }
        batchWanted = Set.copyOf(batchKeys);
    }

    @Benchmark
    @OperationsPerInvocation(TRANSITIONS_PER_TASK)
    public int oneTaskPerStimulus() {
        long n = seq++;
        state.updateGraph("client", one, oneWanted, "g-" + n);
        SchedulerInstruction.ComputeTask c = (SchedulerInstruction.ComputeTask) state.drainInstructions().get(0);
        state.taskFinished(c.key(), c.worker(), 8, "Long", List.of(), "f-" + n);
        state.releaseKeys("client", oneWanted, "r-" + n);
        return state.drainInstructions().size();
    }

    @Benchmark
    @OperationsPerInvocation(TRANSITIONS_PER_TASK * BATCH)
    public int thousandTasksPerStimulus() {
        long n = seq++;
        state.updateGraph("client", batch, batchWanted, "g-" + n);
        List<SchedulerInstruction> computes = state.drainInstructions();
        for (SchedulerInstruction i : computes) {
            SchedulerInstruction.ComputeTask c = (SchedulerInstruction.ComputeTask) i;
            state.taskFinished(c.key(), c.worker(), 8, "Long", List.of(), c.key());
        }
        state.releaseKeys("client", batchKeys, "r-" + n);
        return state.drainInstructions().size() + computes.size();
    }
}
