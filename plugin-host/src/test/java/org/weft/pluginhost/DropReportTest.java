package org.weft.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class DropReportTest {

    private static final Pattern COUNT = Pattern.compile("dropped (\\d+) event\\(s\\)");

    @Test
    void aMillionDropsInAMinuteMakeOneLinePerIntervalAndEveryDropIsInOne() {
        DropReport report = new DropReport();
        List<String> lines = new ArrayList<>();
        long total = 0;
        for (int second = 0; second <= 60; second++) {
            total += 16_667; // drops between two reports, as the loop's once-a-second call sees them
            String line = report.line("plugin 'p'", total, "queue full (capacity 4096, DROP)", second * 1000L, false);
            if (line != null) {
                lines.add(line);
            }
        }
        String last = report.line("plugin 'p'", total, "queue full", 60_500, true);
        if (last != null) {
            lines.add(last);
        }
        // the first report at once, then one per 10 s: seconds 0, 10, ..., 60
        assertEquals(7, lines.size(), String.join("\n", lines));
        long reported = 0;
        for (String line : lines) {
            Matcher m = COUNT.matcher(line);
            assertTrue(m.find(), line);
            reported += Long.parseLong(m.group(1));
        }
        assertEquals(total, reported, "every drop is counted in exactly one line");
        assertTrue(lines.get(1).contains("166670 event(s) in the last 10 s: queue full (capacity 4096, DROP); "
                + (11 * 16_667) + " dropped in all"), lines.get(1));
    }

    @Test
    void nothingNewNothingLoggedAndTheLastReportTakesWhatIsLeft() {
        DropReport report = new DropReport();
        assertNull(report.line("p", 0, null, 0, false), "no drops, no line");
        assertTrue(report.line("p", 3, "why", 0, false).startsWith("p dropped 3 event(s): why; 3 dropped in all"));
        assertNull(report.line("p", 3, "why", 20_000, false), "nothing new since");
        assertNull(report.line("p", 5, "why", 1_000, false), "too soon after the last line");
        assertTrue(report.line("p", 5, "why", 1_000, true).startsWith("p dropped 2 event(s)"), "leaving: the rest");
        assertNull(report.line("p", 5, "why", 1_000, true));
    }
}
