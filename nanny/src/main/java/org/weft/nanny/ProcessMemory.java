package org.weft.nanny;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A process's resident memory, from Linux's {@code /proc/PID/status} ({@code VmRSS}). */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Whether this system shows processes' resident memory (Linux's /proc). */
    static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/status"));
    }

    /** @return the resident set size in bytes, or -1 when the process is gone or unreadable */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return parseKilobytes(line.substring("VmRSS:".length()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** {@code "  123456 kB"} to bytes. */
    static long parseKilobytes(String value) {
        String v = value.trim();
        if (v.endsWith("kB")) {
            v = v.substring(0, v.length() - 2).trim();
        }
        return Long.parseLong(v) * 1024;
    }

    /** Bytes for people: {@code 1.2 GiB}, {@code 300.0 MiB}. */
    static String describe(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
