package org.weft.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.plugin.api.TransitionEvent;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginOrigin;
import org.weft.pluginhost.PluginStartException;
import org.weft.pluginhost.SchedulerPluginHost;
import org.weft.scheduler.core.state.SchedulerConfig;
import org.weft.scheduler.core.state.SchedulerState;

/**
 * Plugin dispatch: one transition event built and handed to {@code plugins} no-op synchronous
 * scheduler plugins, as the loop does for every transition. The time per operation is per event;
 * divide by the plugins for the time per call (with 0 plugins: the cost of asking whether anyone
 * listens, which is what the loop pays with no plugin).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PluginDispatchJmh {

    @Param({"0", "1", "10"})
    public int plugins;

    SchedulerPluginHost host;

    @Setup
    public void setUp() throws PluginStartException {
        host = new SchedulerPluginHost(new SchedulerState(SchedulerConfig.DEFAULTS, null), PluginHostConfig.DEFAULTS);
        for (int i = 0; i < plugins; i++) {
            host.add(new NoopPlugin(), PluginOptions.named("noop-" + i), PluginOrigin.CODE);
        }
    }

    /** What {@code SchedulerNode} does per transition: skip if nobody wants it, else build the event and dispatch. */
    @Benchmark
    public boolean transitionEvent() {
        if (!host.wantsTransition(SchedulerTaskState.PROCESSING, SchedulerTaskState.MEMORY)) {
            return false;
        }
        host.transition(new TransitionEvent("noop-1", SchedulerTaskState.PROCESSING, SchedulerTaskState.MEMORY,
                "stimulus-1", "w1", 8, "Long", List.of(), null, null));
        return true;
    }
}
