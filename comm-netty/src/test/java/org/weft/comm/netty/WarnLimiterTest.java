package org.weft.comm.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class WarnLimiterTest {

    @Test
    void aFloodOfWarningsLogsTheFirstOnesThenSaysHowManyWereLeftOut() {
        AtomicLong now = new AtomicLong(1_000);
        WarnLimiter limiter = new WarnLimiter(3, 10_000, now::get);
        List<String> log = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            limiter.warn("bad peer " + i, log::add);
        }
        assertEquals(List.of("bad peer 0", "bad peer 1", "bad peer 2"), log);
        now.addAndGet(10_000);
        limiter.warn("bad peer 100", log::add);
        assertEquals(List.of("bad peer 0", "bad peer 1", "bad peer 2",
                "97 more warnings about peers in the last 10 s were not logged (the transport's counts, weft:status, have them)",
                "bad peer 100"), log);
        now.addAndGet(10_000);
        limiter.warn("bad peer 101", log::add);
        assertEquals("bad peer 101", log.get(log.size() - 1), "a window without drops says nothing extra");
        assertEquals(6, log.size());
    }
}
