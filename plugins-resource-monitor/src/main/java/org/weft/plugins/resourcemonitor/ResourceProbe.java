package org.weft.plugins.resourcemonitor;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.MetricsSource;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSProcess;

/**
 * Reads this process's and this machine's resources, as cheaply as each can be had: the JVM's
 * MXBeans for heap, threads, GC time, process CPU time and open files (microseconds); Linux's
 * {@code /proc} for resident memory, network and disk bytes ({@link ProcFs}); OSHI for system CPU
 * and memory, and for whatever the others cannot tell on another OS (its general readers cost
 * milliseconds). Rates (CPU %, bytes/s) are taken between two reads. Not thread-safe: one sampler
 * thread calls {@link #read}.
 */
final class ResourceProbe {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceProbe.class);

    static final String CPU_PROCESS = "CPU process";
    static final String CPU_SYSTEM = "CPU system";
    static final String GC_TIME = "GC time";
    static final String RSS = "memory RSS";
    static final String HEAP_USED = "memory heap used";
    static final String SYSTEM_MEMORY_USED = "memory system used";
    static final String THREADS = "threads";
    static final String OPEN_FILES = "open files";
    static final String NET_RECEIVED = "network received";
    static final String NET_SENT = "network sent";
    static final String DISK_READ = "disk read";
    static final String DISK_WRITTEN = "disk written";

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final JvmOsBean jvm = new JvmOsBean();
    private final java.util.concurrent.CompletableFuture<Oshi> oshiStart = new java.util.concurrent.CompletableFuture<>();
    private volatile boolean closed;
    private final ProcFs procFs;
    private long lastNanos = -1;
    private long lastGcMillis;
    private long lastCpuNanos = -1;
    private final Rates network = new Rates();
    private final Rates disk = new Rates();

    /** Starts at once; OSHI starts on a thread of its own (~0.2 s, seconds on a busy machine) and joins when ready. */
    ResourceProbe() {
        ProcFs proc = new ProcFs();
        if (!proc.available()) {
            proc.close();
        }
        this.procFs = proc.available() ? proc : null;
        Thread start = new Thread(() -> {
            try {
                oshiStart.complete(new Oshi());
            } catch (RuntimeException | LinkageError e) {
                if (closed) {
                    // the bundle stopped while OSHI was starting (a short run): its class loader is gone
                    LOG.debug("OSHI's start ended with the monitor closed ({})", e.toString());
                } else {
                    LOG.warn("OSHI is not usable here ({}); the resource monitor records fewer machine figures", e.toString(), e);
                }
                oshiStart.complete(null);
            }
        }, "weft-resource-monitor-oshi");
        start.setDaemon(true);
        start.start();
    }

    /** The monitor is closing: an OSHI start still under way may fail quietly. */
    void close() {
        closed = true;
        if (procFs != null) {
            procFs.close();
        }
    }

    /** OSHI once it has started, else {@code null}. */
    private Oshi oshi() {
        return oshiStart.getNow(null);
    }

    /** Whether machine-level figures (OSHI) are available, as far as known yet. */
    boolean machineFigures() {
        return !oshiStart.isDone() || oshi() != null;
    }

    void read(MetricsSource.Gauges sink) {
        long now = System.nanoTime();
        double seconds = lastNanos < 0 ? 0 : (now - lastNanos) / 1e9;
        sink.gauge(HEAP_USED, "bytes", memory.getHeapMemoryUsage().getUsed());
        sink.gauge(THREADS, "count", threads.getThreadCount());
        long gc = 0;
        for (GarbageCollectorMXBean c : collectors) {
            gc += Math.max(0, c.getCollectionTime());
        }
        if (seconds > 0) {
            sink.gauge(GC_TIME, "%", 100.0 * (gc - lastGcMillis) / 1000.0 / seconds);
        }
        lastGcMillis = gc;
        Oshi oshi = oshi();
        boolean processFromOshi = oshi != null && (!jvm.hasProcessCpuTime() || procFs == null);
        if (processFromOshi) {
            oshi.process.updateAttributes(); // milliseconds: only where the JVM and /proc cannot tell
        }
        long cpu = jvm.hasProcessCpuTime() ? jvm.processCpuNanos()
                : processFromOshi ? (oshi.process.getUserTime() + oshi.process.getKernelTime()) * 1_000_000 : -1;
        if (cpu >= 0 && seconds > 0 && lastCpuNanos >= 0) {
            sink.gauge(CPU_PROCESS, "%", 100.0 * (cpu - lastCpuNanos) / 1e9 / seconds);
        }
        lastCpuNanos = cpu;
        long files = jvm.openFiles();
        if (files < 0 && processFromOshi) {
            files = oshi.process.getOpenFiles();
        }
        if (files >= 0) {
            sink.gauge(OPEN_FILES, "count", files);
        }
        if (oshi != null) {
            oshi.readSystem(sink, seconds);
        }
        try {
            if (procFs != null) {
                long rss = procFs.residentBytes();
                if (rss >= 0) {
                    sink.gauge(RSS, "bytes", rss);
                }
                network.report(sink, NET_RECEIVED, NET_SENT, procFs.networkBytes(), seconds);
                disk.report(sink, DISK_READ, DISK_WRITTEN, procFs.diskBytes(), seconds);
            } else if (oshi != null) {
                sink.gauge(RSS, "bytes", oshi.process.getResidentMemory());
                network.report(sink, NET_RECEIVED, NET_SENT, oshi.networkBytes(), seconds);
                disk.report(sink, DISK_READ, DISK_WRITTEN, oshi.diskBytes(), seconds);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("a /proc read failed; left out of this sample", e);
        }
        lastNanos = now;
    }

    /** Two byte counters turned into rates between reads. */
    private static final class Rates {
        private long[] last;

        void report(MetricsSource.Gauges sink, String first, String second, long[] now, double seconds) {
            if (last != null && seconds > 0) {
                sink.gauge(first, "bytes/s", Math.max(0, now[0] - last[0]) / seconds);
                sink.gauge(second, "bytes/s", Math.max(0, now[1] - last[1]) / seconds);
            }
            last = now;
        }
    }

    /** The OSHI part, in its own class so a missing OSHI or JNA fails in one place. */
    private static final class Oshi {
        final OSProcess process;
        private final GlobalMemory memory;
        private final CentralProcessor cpu;
        private final List<NetworkIF> networks;
        private final List<HWDiskStore> disks;
        private long[] lastTicks;

        Oshi() {
            SystemInfo si = new SystemInfo();
            process = si.getOperatingSystem().getProcess(si.getOperatingSystem().getProcessId());
            if (process == null) {
                throw new IllegalStateException("OSHI cannot see this process");
            }
            cpu = si.getHardware().getProcessor();
            memory = si.getHardware().getMemory();
            networks = si.getHardware().getNetworkIFs();
            disks = si.getHardware().getDiskStores();
            lastTicks = cpu.getSystemCpuLoadTicks();
        }

        void readSystem(MetricsSource.Gauges sink, double seconds) {
            long[] ticks = cpu.getSystemCpuLoadTicks();
            if (seconds > 0) {
                sink.gauge(CPU_SYSTEM, "%", 100.0 * cpu.getSystemCpuLoadBetweenTicks(lastTicks, ticks));
            }
            lastTicks = ticks;
            sink.gauge(SYSTEM_MEMORY_USED, "bytes", memory.getTotal() - memory.getAvailable());
        }

        long[] networkBytes() {
            long in = 0;
            long out = 0;
            for (NetworkIF n : networks) {
                n.updateAttributes();
                in += n.getBytesRecv();
                out += n.getBytesSent();
            }
            return new long[] {in, out};
        }

        long[] diskBytes() {
            long read = 0;
            long written = 0;
            for (HWDiskStore d : disks) {
                d.updateAttributes();
                read += d.getReadBytes();
                written += d.getWriteBytes();
            }
            return new long[] {read, written};
        }
    }
}
