package org.weft.benchmarks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code scale}'s figures when a block's CPU time is below the process CPU clock's 10 ms step. */
class ScaleFiguresTest {

    private static String figures(Map<Integer, List<Bench.Timing>> timings) {
        StringWriter out = new StringWriter();
        ScaleBenchmark.printFigures(new PrintWriter(out), timings, 300);
        return out.toString();
    }

    @Test
    void aRoundWhoseSmallestBlockReadNoCpuIsLeftOutOfTheRatio() {
        Map<Integer, List<Bench.Timing>> timings = new LinkedHashMap<>();
        timings.put(100, List.of(new Bench.Timing(0.006, 0.0, Map.of(), 0), new Bench.Timing(0.005, 0.01, Map.of(), 0)));
        timings.put(300, List.of(new Bench.Timing(0.005, 0.01, Map.of(), 0), new Bench.Timing(0.004, 0.02, Map.of(), 0)));
        String out = figures(timings);
        assertTrue(out.contains("cpu_cost_ratio_300: 2.000"), out);
        assertFalse(out.contains("Infinity"), out);
    }

    @Test
    void noRoundMeasurableSaysSoInsteadOfAFigure() {
        Map<Integer, List<Bench.Timing>> timings = new LinkedHashMap<>();
        timings.put(100, List.of(new Bench.Timing(0.006, 0.0, Map.of(), 0)));
        timings.put(300, List.of(new Bench.Timing(0.005, 0.01, Map.of(), 0)));
        String out = figures(timings);
        assertFalse(out.contains("\ncpu_cost_ratio_300:"), "no figure line: " + out);
        assertTrue(out.contains("# no cpu_cost_ratio_300: the smallest size's blocks used less CPU"), out);
        assertTrue(out.contains("time_cost_ratio_300: 0.833"), out);
        assertFalse(out.contains("Infinity"), out);
    }
}
