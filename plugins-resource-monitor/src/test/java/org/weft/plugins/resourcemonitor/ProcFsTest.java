package org.weft.plugins.resourcemonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The /proc readers, parsed in place, against the same files read as text lines. */
class ProcFsTest {

    @Test
    void readsWhatTheFilesSayEachTimeAnew() throws Exception {
        try (ProcFs proc = new ProcFs()) {
            assumeTrue(proc.available(), "no /proc here");
            for (int round = 0; round < 3; round++) { // the files are read again from their start each time
                long rss = proc.residentBytes();
                long rssKb = Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                        .findFirst().orElseThrow();
                assertTrue(rss > 0 && Math.abs(rss / 1024 - rssKb) < 64 * 1024, rss + " B against " + rssKb + " kB");

                long[] before = netFromLines();
                long[] net = proc.networkBytes();
                long[] after = netFromLines();
                assertTrue(before[0] <= net[0] && net[0] <= after[0], "received " + net[0]);
                assertTrue(before[1] <= net[1] && net[1] <= after[1], "sent " + net[1]);

                long[] disk = proc.diskBytes();
                assertTrue(disk[0] >= 0 && disk[1] >= 0);
                assertTrue(disk[0] <= proc.diskBytes()[0], "read bytes only grow");
            }
        }
    }

    /** The old way: each line a String, split on blanks. */
    private static long[] netFromLines() throws Exception {
        long in = 0;
        long out = 0;
        List<String> lines = Files.readAllLines(Path.of("/proc/net/dev"), StandardCharsets.US_ASCII);
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.substring(0, colon).trim().equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            in += Long.parseLong(f[0]);
            out += Long.parseLong(f[8]);
        }
        return new long[] {in, out};
    }

    @Test
    void aLongFileIsReadWhole() throws Exception {
        Path file = Files.createTempFile("procfile", ".txt");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(file, text.append("VmRSS: 42 kB\n"));
        try (ProcFile f = new ProcFile(file.toString())) {
            for (int round = 0; round < 2; round++) {
                assertTrue(f.read().skipPast("VmRSS:".getBytes(StandardCharsets.US_ASCII)));
                assertEquals(42, f.number());
            }
        } finally {
            Files.delete(file);
        }
    }
}
