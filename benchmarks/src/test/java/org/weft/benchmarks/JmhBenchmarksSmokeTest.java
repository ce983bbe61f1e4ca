package org.weft.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The JMH benchmark methods work (called directly, a few times, without the JMH harness: running
 * JMH itself is for {@code benchmarks/run jmh}, not the build).
 */
class JmhBenchmarksSmokeTest {

    @Test
    void transitionBenchmarksRunTasksToForgottenAndLeaveTheStateEmpty() {
        TransitionJmh b = new TransitionJmh();
        b.setUp();
        for (int i = 0; i < 3; i++) {
            assertEquals(2, b.oneTaskPerStimulus(), "the report to the client and one FreeKeys");
            assertEquals(0, b.state.tasks().size());
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(2 * TransitionJmh.BATCH + 2, b.thousandTasksPerStimulus(),
                    "the computes, the reports to the client and one FreeKeys per worker");
            assertEquals(0, b.state.tasks().size());
        }
        assertEquals(TransitionJmh.TRANSITIONS_PER_TASK * (3 + 2 * TransitionJmh.BATCH), b.state.transitionCount());
    }

    @Test
    void pluginTransitionsReachEveryPluginFourTimesPerTask() throws Exception {
        for (int k : new int[] {0, 1, 10}) {
            PluginTransitionJmh b = new PluginTransitionJmh();
            b.plugins = k;
            b.setUp();
            for (int i = 0; i < 2; i++) {
                assertEquals(2 * TransitionJmh.BATCH + 2, b.thousandTasksPerStimulus());
                assertEquals(0, b.tasks.state.tasks().size());
            }
            assertEquals(k, b.noops.size());
            for (NoopPlugin p : b.noops) {
                assertEquals(2L * TransitionJmh.TRANSITIONS_PER_TASK * TransitionJmh.BATCH, p.calls(),
                        "every transition of every task reaches every no-op plugin");
            }
        }
    }

    @Test
    void pluginDispatchReachesEveryPlugin() throws Exception {
        for (int k : new int[] {0, 1, 10}) {
            PluginDispatchJmh b = new PluginDispatchJmh();
            b.plugins = k;
            b.setUp();
            for (int i = 0; i < 5; i++) {
                boolean dispatched = b.transitionEvent();
                if (k == 0) {
                    assertFalse(dispatched);
                } else {
                    assertTrue(dispatched);
                }
            }
            long calls = b.host.status().stream().mapToLong(s -> s.calls()).sum();
            assertEquals(5L * k, calls);
        }
    }
}
