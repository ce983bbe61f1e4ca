package org.weft.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private static final String NL = System.lineSeparator();

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void advanceMillis(long ms) {
        clock.addAndGet(ms * 1_000_000L);
    }

    @Test
    void terminalRedrawsOneLine() {
        ProgressBar bar = new ProgressBar(out, true, clock::get);
        bar.progress(0, 0, 10_000);
        advanceMillis(3_200);
        bar.progress(4_500, 0, 10_000);
        advanceMillis(1_000);
        bar.progress(10_000, 0, 10_000);

        assertEquals("\r[....................]   0% 0/10,000 tasks  0.0 s"
                + "\r[#########...........]  45% 4,500/10,000 tasks  3.2 s"
                + "\r[####################] 100% 10,000/10,000 tasks  4.2 s" + NL, text());
    }

    @Test
    void terminalThrottlesWithinAPercentAndPadsShorterLines() {
        ProgressBar bar = new ProgressBar(out, true, clock::get);
        bar.progress(0, 0, 1_000);
        bar.progress(1, 0, 1_000);          // same percent, no time passed: skipped
        advanceMillis(160);
        bar.progress(2, 3, 1_000);          // 100 ms passed: drawn, with the erred count
        advanceMillis(10);
        bar.progress(6, 3, 1_000);          // same percent, 10 ms: skipped
        bar.progress(10, 990, 1_000);       // done

        String erred = "[....................]   0% 5/1,000 tasks  0.2 s  3 erred";
        String last = "[####################] 100% 1,000/1,000 tasks  0.2 s  990 erred";
        assertEquals("\r[....................]   0% 0/1,000 tasks  0.0 s"
                + "\r" + erred
                + "\r" + last + NL, text());
    }

    @Test
    void terminalPadsAShorterLine() {
        ProgressBar bar = new ProgressBar(out, true, clock::get);
        bar.progress(0, 99_999, 100_000);
        bar.progress(100_000, 0, 100_000); // a raw caller may send anything that does not go down

        String first = "[###################.]  99% 99,999/100,000 tasks  0.0 s  99,999 erred";
        String last = "[####################] 100% 100,000/100,000 tasks  0.0 s";
        assertEquals("\r" + first + "\r" + last + " ".repeat(first.length() - last.length()) + NL, text());
    }

    @Test
    void plainPrintsEachTenthAndTheEndOnce() {
        ProgressBar bar = new ProgressBar(out, false, clock::get);
        for (int i = 0; i <= 100; i++) {
            bar.progress(i, 0, 100);
            advanceMillis(100);
        }
        bar.progress(100, 0, 100); // repeated final call: no second line

        List<String> lines = text().lines().toList();
        assertEquals(10, lines.size(), text());
        assertEquals("10% 10/100 tasks  1.0 s", lines.get(0));
        assertEquals("50% 50/100 tasks  5.0 s", lines.get(4));
        assertEquals("100% 100/100 tasks  10.0 s", lines.get(9));
    }

    @Test
    void plainSkipsTenthsJumpedOverAndIgnoresRegressions() {
        ProgressBar bar = new ProgressBar(out, false, clock::get);
        bar.progress(0, 0, 10_000);
        bar.progress(3_500, 0, 10_000);
        bar.progress(3_400, 0, 10_000);
        bar.progress(3_900, 0, 10_000);
        bar.progress(9_000, 1_000, 10_000);

        assertEquals("35% 3,500/10,000 tasks  0.0 s" + NL
                + "100% 10,000/10,000 tasks  0.0 s  1,000 erred" + NL, text());
    }

    @Test
    void emptySetIsCompleteAtOnce() {
        new ProgressBar(out, false, clock::get).progress(0, 0, 0);
        assertEquals("100% 0/0 tasks  0.0 s" + NL, text());
    }
}
