package org.weft.nanny;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void aWorkerClosedByItsSchedulerOrGivingUpEndsTheNannyWithItsStatus() {
        RestartPolicy policy = new RestartPolicy(5);
        assertEquals(0, ((RestartPolicy.Stop) policy.afterExit(0, 10, false)).status());
        assertEquals(1, ((RestartPolicy.Stop) policy.afterExit(1, 10, false)).status());
    }

    @Test
    void deathsAreRestartedWithADoublingBackOffUpToThirtySeconds() {
        RestartPolicy policy = new RestartPolicy(10);
        long[] delays = new long[8];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = ((RestartPolicy.Restart) policy.afterExit(137, 100, false)).delayMillis();
        }
        assertEquals("[1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]", java.util.Arrays.toString(delays));
    }

    @Test
    void moreDeathsInARowThanAllowedGiveUp() {
        RestartPolicy policy = new RestartPolicy(2);
        assertEquals(1, ((RestartPolicy.Restart) policy.afterExit(137, 100, false)).attempt());
        assertEquals(2, ((RestartPolicy.Restart) policy.afterExit(134, 100, false)).attempt());
        assertEquals(2, ((RestartPolicy.GiveUp) policy.afterExit(137, 100, false)).restarts());
    }

    @Test
    void aWorkerThatRanAMinuteStartsANewSeries() {
        RestartPolicy policy = new RestartPolicy(1);
        policy.afterExit(137, 100, false);
        RestartPolicy.Restart again = (RestartPolicy.Restart) policy.afterExit(137, RestartPolicy.STABLE_MILLIS, false);
        assertEquals(1, again.attempt());
        assertEquals(1000, again.delayMillis());
    }

    @Test
    void theRestartStatusRestartsAtOnceAndResetsTheSeries() {
        RestartPolicy policy = new RestartPolicy(1);
        policy.afterExit(137, 100, false);
        assertEquals(new RestartPolicy.Restart(0, 0), policy.afterExit(RestartPolicy.RESTART, 100, false));
        assertEquals(1, ((RestartPolicy.Restart) policy.afterExit(137, 100, false)).attempt());
    }

    @Test
    void aWorkerKilledForItsMemoryIsADeathWhateverItsStatus() {
        RestartPolicy policy = new RestartPolicy(0);
        assertEquals(0, ((RestartPolicy.GiveUp) policy.afterExit(0, 100, true)).restarts());
    }

    @Test
    void noRestartsAtAllIsAllowedButNotANegativeNumber() {
        assertEquals(0, ((RestartPolicy.GiveUp) new RestartPolicy(0).afterExit(137, 100, false)).restarts());
        assertThrows(IllegalArgumentException.class, () -> new RestartPolicy(-1));
    }
}
