package org.weft.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * CPU time per thread over a timed run, grouped by thread name with numbers stripped
 * ({@code weft-worker-worker-1} and {@code -2} add up under {@code weft-worker-worker-N}), split
 * into user and kernel time, and the heap bytes each group allocated. Threads that started or
 * ended during the run count from when they were first or last seen, so the figures are a floor.
 */
final class ThreadCpu {

    /**
     * One group's use: CPU nanoseconds, all of it and the part in user mode, and the bytes its
     * threads allocated on the heap (-1 if the JVM cannot tell).
     */
    record Use(long cpuNanos, long userNanos, long allocatedBytes) {
        long kernelNanos() {
            return Math.max(0, cpuNanos - userNanos);
        }
    }

    private final ThreadMXBean mx;
    private final Map<Long, long[]> before;

    private ThreadCpu(ThreadMXBean mx, Map<Long, long[]> before) {
        this.mx = mx;
        this.before = before;
    }

    static ThreadCpu start() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean supported = mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled();
        return new ThreadCpu(supported ? mx : null, supported ? sample(mx) : Map.of());
    }

    /** The CPU each thread group used since {@link #start}, biggest first; empty if unsupported. */
    Map<String, Use> stop() {
        if (mx == null) {
            return Map.of();
        }
        Map<Long, long[]> after = sample(mx);
        Map<String, long[]> groups = new HashMap<>(); // cpu, user, allocated
        for (ThreadInfo info : mx.getThreadInfo(after.keySet().stream().mapToLong(Long::longValue).toArray())) {
            if (info == null) {
                continue;
            }
            long[] a = after.get(info.getThreadId());
            long[] b = before.getOrDefault(info.getThreadId(), new long[3]);
            long[] g = groups.computeIfAbsent(group(info.getThreadName()), k -> new long[3]);
            g[0] += Math.max(0, a[0] - b[0]);
            g[1] += Math.max(0, a[1] - b[1]);
            g[2] = g[2] < 0 || a[2] < 0 ? -1 : g[2] + Math.max(0, a[2] - b[2]);
        }
        Map<String, Use> out = new LinkedHashMap<>();
        groups.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
                .forEach(e -> out.put(e.getKey(), new Use(e.getValue()[0], e.getValue()[1], e.getValue()[2])));
        return out;
    }

    /** {@code name bytes} per group that allocated, in bytes per task, biggest first. */
    static String describeAllocation(Map<String, Use> groups, int tasks) {
        StringJoiner out = new StringJoiner(", ");
        groups.entrySet().stream().filter(e -> e.getValue().allocatedBytes() / tasks > 0)
                .sorted((x, y) -> Long.compare(y.getValue().allocatedBytes(), x.getValue().allocatedBytes()))
                .forEach(e -> out.add(e.getKey() + " " + e.getValue().allocatedBytes() / tasks));
        return out.toString();
    }

    /** {@code name user+kernel} per group, in microseconds per task. */
    static String describe(Map<String, Use> groups, int tasks) {
        StringJoiner out = new StringJoiner(", ");
        groups.forEach((name, use) -> {
            if (use.cpuNanos() * 1000 / tasks / 1000 > 0 || use.cpuNanos() > 1_000_000) {
                out.add(String.format(Locale.ROOT, "%s %.1f+%.1f", name, use.userNanos() / 1e3 / tasks,
                        use.kernelNanos() / 1e3 / tasks));
            }
        });
        return out.toString();
    }

    private static String group(String threadName) {
        return threadName.replaceAll("\\d+", "N");
    }

    /** The bytes all groups allocated, or -1 if the JVM cannot tell. */
    static long allocatedBytes(Map<String, Use> groups) {
        long total = 0;
        for (Use use : groups.values()) {
            if (use.allocatedBytes() < 0) {
                return -1;
            }
            total += use.allocatedBytes();
        }
        return groups.isEmpty() ? -1 : total;
    }

    private static Map<Long, long[]> sample(ThreadMXBean mx) {
        Map<Long, long[]> out = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long cpu = mx.getThreadCpuTime(id);
            long user = mx.getThreadUserTime(id);
            if (cpu >= 0 && user >= 0) {
                out.put(id, new long[] {cpu, user, allocated(mx, id)});
            }
        }
        return out;
    }

    private static long allocated(ThreadMXBean mx, long id) {
        if (mx instanceof com.sun.management.ThreadMXBean hotspot && hotspot.isThreadAllocatedMemorySupported()
                && hotspot.isThreadAllocatedMemoryEnabled()) {
            return hotspot.getThreadAllocatedBytes(id);
        }
        return -1;
    }
}
