package org.weft.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time of the RabbitMQ broker on this machine (every {@code beam.smp} process, from
 * {@code /proc}), so a benchmark can say what the broker took beside the scheduler on the same
 * cores. -1 where {@code /proc} cannot tell (not Linux, no broker here).
 */
final class BrokerCpu {

    /** Clock ticks per second of {@code /proc/PID/stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    private BrokerCpu() {
    }

    /** User + kernel seconds the broker's processes used so far, or -1. */
    static double seconds() {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return -1;
        }
        long ticks = 0;
        boolean found = false;
        try (Stream<Path> all = Files.list(proc)) {
            for (Path p : (Iterable<Path>) all.filter(d -> d.getFileName().toString().matches("\\d+"))::iterator) {
                try {
                    if (!Files.readString(p.resolve("comm")).strip().equals("beam.smp")) {
                        continue;
                    }
                    String[] f = Bench.procStat(p);
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
                    found = true;
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile, or is not ours to read
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return found ? ticks / TICKS_PER_SECOND : -1;
    }
}
