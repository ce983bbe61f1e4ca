package org.weft.worker.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@link Sizes}: cheap, monotone in content, safe on cycles. */
class WorkerStateSizesTest {

    @Test
    void scalarsAndBytes() {
        assertEquals(0, Sizes.estimate(null));
        assertTrue(Sizes.estimate("abcdef") > Sizes.estimate("a"));
        assertEquals(Sizes.estimate(1L), Sizes.estimate(2.0));
        assertEquals(Sizes.estimate(new byte[0]) + 1000, Sizes.estimate(new byte[1000]));
    }

    @Test
    void containersAddUpTheirContent() {
        long one = Sizes.estimate(List.of("x"));
        long two = Sizes.estimate(List.of("x", "x"));
        assertTrue(two > one);
        assertTrue(Sizes.estimate(Map.of("k", new byte[100])) > 100);
        List<Integer> big = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            big.add(i);
        }
        assertTrue(Sizes.estimate(big) >= 10_000L * 24, "sampled, then extrapolated");
    }

    @Test
    void cyclesTerminate() {
        List<Object> self = new ArrayList<>();
        self.add(self);
        self.add(self);
        assertTrue(Sizes.estimate(self) > 0);
    }
}
