package org.weft.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Another process's CPU time by thread group, from Linux's {@code /proc/PID/task/TID/schedstat}
 * (nanoseconds on a CPU, not the 10 ms ticks of {@code stat}) and {@code comm} (the thread's name,
 * 15 characters at most). Threads named alike but for a trailing number are one group
 * ({@code weft-netty-3} counts as {@code weft-netty-}). Empty where {@code /proc} is not there.
 */
final class ProcessThreadCpu {

    private ProcessThreadCpu() {
    }

    /** CPU nanoseconds so far of each thread of {@code pid}, by thread id, with its group. */
    static Map<Long, Thread> sample(long pid) {
        Map<Long, Thread> out = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String schedstat = Files.readString(task.resolve("schedstat")).trim();
                    long nanos = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                    String name = Files.readString(task.resolve("comm")).trim();
                    out.put(Long.parseLong(task.getFileName().toString()), new Thread(group(name), nanos));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    /** What each group used between two samples (threads that ended meanwhile take their time along). */
    static Map<String, Long> between(Map<Long, Thread> before, Map<Long, Thread> after) {
        Map<String, Long> out = new TreeMap<>();
        for (Map.Entry<Long, Thread> e : after.entrySet()) {
            Thread was = before.get(e.getKey());
            out.merge(e.getValue().group(), e.getValue().nanos() - (was == null ? 0 : was.nanos()), Long::sum);
        }
        return out;
    }

    private static String group(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) {
            end--;
        }
        return end == 0 ? name : name.substring(0, end);
    }

    record Thread(String group, long nanos) {
    }
}
