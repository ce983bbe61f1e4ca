package org.weft.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PluginLogLimiterTest {

    @Test
    void logsTheFirstFiveThenOneInAThousandWithTheSuppressedCount() {
        LogLimiter limiter = new LogLimiter();
        List<Long> logged = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
            long suppressed = limiter.admit();
            if (suppressed >= 0) {
                logged.add(suppressed);
                at.add(i);
            }
        }
        // within 10 s: occurrences 1-5, 1000 and 2000 (this runs far faster than the 10 s interval)
        assertEquals(List.of(1, 2, 3, 4, 5, 1000, 2000), at);
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 994L, 999L), logged);
    }
}
