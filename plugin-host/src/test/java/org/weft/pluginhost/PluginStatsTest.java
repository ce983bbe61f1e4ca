package org.weft.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PluginStatsTest {

    @Test
    void timesEveryEarlyCallThenOneInTheSamplePeriodAndCountsAllExactly() {
        PluginStats stats = new PluginStats();
        PluginStats.Figures events = stats.events();
        long timed = 0;
        long total = PluginStats.TIME_EVERY_CALL_UNTIL + 10 * PluginStats.SAMPLE_PERIOD;
        for (long i = 0; i < total; i++) {
            boolean time = events.timeNext();
            if (i < PluginStats.TIME_EVERY_CALL_UNTIL) {
                assertTrue(time, "call " + i + " is timed");
            }
            if (time) {
                timed++;
            }
            events.count(time ? 1000 : -1, i % 100 == 0);
        }
        assertEquals(PluginStats.TIME_EVERY_CALL_UNTIL + 10, timed);
        assertEquals(total, stats.calls());
        assertEquals((total + 99) / 100, stats.errors());
        assertEquals(1000, stats.meanNanos());
        assertEquals(1000, stats.maxNanos());
    }

    @Test
    void aSlowSampledCallShowsInMaxAndMeanAndQueriesAddUp() {
        PluginStats stats = new PluginStats();
        stats.events().count(100, false);
        stats.events().count(-1, false); // not timed: counted, not in the mean
        stats.queries().count(5_000, false);
        assertEquals(3, stats.calls());
        assertEquals(2_550, stats.meanNanos());
        assertEquals(5_000, stats.maxNanos());
    }

    @Test
    void consecutiveFailuresResetOnSuccess() {
        PluginStats stats = new PluginStats();
        assertEquals(1, stats.failed());
        assertEquals(2, stats.failed());
        stats.succeeded();
        assertEquals(1, stats.failed());
    }
}
