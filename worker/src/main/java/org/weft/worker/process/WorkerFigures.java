package org.weft.worker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.weft.plugin.api.WorkerTaskState;
import org.weft.worker.state.WorkerState;
import org.weft.worker.state.WorkerTask;

/**
 * A worker process's own figures, as Dask's workers expose theirs, sent with each heartbeat (the
 * scheduler's dashboard shows them and {@code /metrics} gives them a {@code worker} label). The
 * keys (a contract: only ever added):
 * <ul>
 * <li>{@code tasks}: state label → tasks this worker holds in it (Dask's {@code dask_worker_tasks});
 * <li>{@code managedBytes}: the encoded sizes of the results it holds;
 * <li>{@code transferIncomingCount}, {@code transferIncomingBytes}: data answers received from peers
 *     since it started, and their bytes; {@code transferOutgoingCount}, {@code transferOutgoingBytes}:
 *     data answers it sent (to peers, and to the scheduler gathering for clients);
 * <li>{@code cpuSeconds}: the process's CPU time since it started; {@code cpu}: the cores it used
 *     between its last two heartbeats; {@code rssBytes}: its resident memory (-1 where the system
 *     does not say); {@code heapUsedBytes}: the Java heap in use;
 * <li>{@code timeMillis}: when they were taken.
 * </ul>
 * The counters are thread-safe; {@link #of} runs on the worker's loop.
 */
public final class WorkerFigures {

    private static final Path STATUS = Path.of("/proc/self/status");

    private final AtomicLong incomingCount = new AtomicLong();
    private final AtomicLong incomingBytes = new AtomicLong();
    private final AtomicLong outgoingCount = new AtomicLong();
    private final AtomicLong outgoingBytes = new AtomicLong();
    private long lastCpuNanos = -1;
    private long lastNanoTime;

    /** A data answer of {@code bytes} came from a peer. */
    void received(long bytes) {
        incomingCount.incrementAndGet();
        incomingBytes.addAndGet(bytes);
    }

    /** A data answer of {@code bytes} went out. */
    void sent(long bytes) {
        outgoingCount.incrementAndGet();
        outgoingBytes.addAndGet(bytes);
    }

    /** The figures now; call on the worker's loop (it walks the worker's tasks). */
    public Map<String, Object> of(WorkerState state) {
        Map<WorkerTaskState, Integer> byState = new EnumMap<>(WorkerTaskState.class);
        long managed = 0;
        for (WorkerTask t : state.tasks().values()) {
            byState.merge(t.state(), 1, Integer::sum);
            if (t.state() == WorkerTaskState.MEMORY && t.nbytes() > 0) {
                managed += t.nbytes();
            }
        }
        Map<String, Integer> tasks = new TreeMap<>();
        byState.forEach((s, n) -> tasks.put(s.label(), n));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasks", tasks);
        out.put("managedBytes", managed);
        out.put("transferIncomingCount", incomingCount.get());
        out.put("transferIncomingBytes", incomingBytes.get());
        out.put("transferOutgoingCount", outgoingCount.get());
        out.put("transferOutgoingBytes", outgoingBytes.get());
        long cpuNanos = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        long now = System.nanoTime();
        out.put("cpuSeconds", cpuNanos < 0 ? -1.0 : cpuNanos / 1e9);
        out.put("cpu", lastCpuNanos < 0 || cpuNanos < 0 || now <= lastNanoTime ? 0.0
                : Math.max(0, cpuNanos - lastCpuNanos) / (double) (now - lastNanoTime));
        lastCpuNanos = cpuNanos;
        lastNanoTime = now;
        out.put("rssBytes", residentBytes());
        Runtime runtime = Runtime.getRuntime();
        out.put("heapUsedBytes", runtime.totalMemory() - runtime.freeMemory());
        out.put("timeMillis", System.currentTimeMillis());
        return out;
    }

    /** {@code VmRSS} of Linux's {@code /proc/self/status} in bytes; -1 elsewhere. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
