package org.weft.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.weft.plugin.api.PluginOptions;
import org.weft.scheduler.core.cluster.PluginEventFeed;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.PluginStartException;
import org.weft.pluginhost.SchedulerPluginHost;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.state.SchedulerState;
import org.weft.scheduler.core.stealing.WorkStealing;

/**
 * The hook path where the loop pays for it: {@link TransitionJmh#thousandTasksPerStimulus}'s 1,000
 * no-op tasks, four transitions each, through a pure {@link SchedulerState} wired to a plugin host
 * as the scheduler wires it ({@link PluginEventFeed}), with the built-in work stealing and
 * {@code plugins} no-op synchronous plugins. Unlike {@link PluginDispatchJmh}, which sends one
 * event to plugins whose objects stay in the cache, the plugins' calls here come between the
 * state machine's own work on a thousand tasks, as in the running scheduler. The figure is ns per
 * transition; the difference to 0 plugins, times four, is what the plugins add to a task.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PluginTransitionJmh {

    @Param({"0", "1", "10"})
    public int plugins;

    final TransitionJmh tasks = new TransitionJmh();
    final List<NoopPlugin> noops = new ArrayList<>();

    @Setup
    public void setUp() throws PluginStartException {
        PluginEventFeed feed = new PluginEventFeed();
        // as TransitionJmh: queuing off, so every task makes the same four transitions
        SchedulerState state = new SchedulerState(
                SchedulerConfig.DEFAULTS.withWorkerSaturation(Double.POSITIVE_INFINITY), feed);
        SchedulerPluginHost host = new SchedulerPluginHost(state, PluginHostConfig.DEFAULTS);
        feed.connect(host);
        host.add(new WorkStealing(100, SchedulerConfig.DEFAULTS.bandwidth()), PluginOptions.named(WorkStealing.NAME),
                PluginOrigin.BUILT_IN);
        for (int i = 0; i < plugins; i++) {
            NoopPlugin noop = new NoopPlugin();
            host.add(noop, PluginOptions.named("noop-" + i), PluginOrigin.CODE);
            noops.add(noop);
        }
        tasks.setUp(state);
    }

    @Benchmark
    @OperationsPerInvocation(TransitionJmh.TRANSITIONS_PER_TASK * TransitionJmh.BATCH)
    public int thousandTasksPerStimulus() {
        return tasks.thousandTasksPerStimulus();
    }
}
