package org.weft.plugins.resourcemonitor;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSProcess;

/**
 * Reads this process's and this machine's resources: the JVM's own MXBeans for heap, threads and
 * GC time (microseconds per call), OSHI for what the JVM cannot tell (process CPU time, RSS, open
 * files, system CPU and memory, network and disk bytes). Rates (CPU %, bytes/s) are taken between
 * two reads. Not thread-safe: one sampler thread calls {@link #read}.
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
    private final Oshi oshi;
    private long lastNanos = -1;
    private long lastGcMillis;

    ResourceProbe() {
        Oshi found = null;
        try {
            found = new Oshi();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("OSHI is not usable here ({}); the resource monitor records the JVM's own figures only "
                    + "(heap, threads, GC time)", e.toString());
        }
        this.oshi = found;
    }

    /** Whether machine-level figures (OSHI) are available. */
    boolean machineFigures() {
        return oshi != null;
    }

    void read(GaugeSink sink) {
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
        if (oshi != null) {
            oshi.read(sink, seconds);
        }
        lastNanos = now;
    }

    /** The OSHI part, in its own class so a missing OSHI or JNA fails in one place. */
    private static final class Oshi {
        private final OSProcess process;
        private final CentralProcessor cpu;
        private final GlobalMemory globalMemory;
        private final List<NetworkIF> networks;
        private final List<HWDiskStore> disks;
        private long[] lastTicks;
        private long lastCpuMillis = -1;
        private long lastNetIn = -1;
        private long lastNetOut;
        private long lastDiskRead = -1;
        private long lastDiskWrite;

        Oshi() {
            SystemInfo si = new SystemInfo();
            process = si.getOperatingSystem().getProcess(si.getOperatingSystem().getProcessId());
            if (process == null) {
                throw new IllegalStateException("OSHI cannot see this process");
            }
            cpu = si.getHardware().getProcessor();
            globalMemory = si.getHardware().getMemory();
            networks = si.getHardware().getNetworkIFs();
            disks = si.getHardware().getDiskStores();
            lastTicks = cpu.getSystemCpuLoadTicks();
        }

        void read(GaugeSink sink, double seconds) {
            process.updateAttributes();
            long cpuMillis = process.getUserTime() + process.getKernelTime();
            if (seconds > 0 && lastCpuMillis >= 0) {
                sink.gauge(CPU_PROCESS, "%", 100.0 * (cpuMillis - lastCpuMillis) / 1000.0 / seconds);
            }
            lastCpuMillis = cpuMillis;
            long[] ticks = cpu.getSystemCpuLoadTicks();
            if (seconds > 0) {
                sink.gauge(CPU_SYSTEM, "%", 100.0 * cpu.getSystemCpuLoadBetweenTicks(lastTicks, ticks));
            }
            lastTicks = ticks;
            sink.gauge(RSS, "bytes", process.getResidentMemory());
            sink.gauge(SYSTEM_MEMORY_USED, "bytes", globalMemory.getTotal() - globalMemory.getAvailable());
            sink.gauge(OPEN_FILES, "count", process.getOpenFiles());
            long in = 0;
            long out = 0;
            for (NetworkIF n : networks) {
                n.updateAttributes();
                in += n.getBytesRecv();
                out += n.getBytesSent();
            }
            if (seconds > 0 && lastNetIn >= 0) {
                sink.gauge(NET_RECEIVED, "bytes/s", Math.max(0, in - lastNetIn) / seconds);
                sink.gauge(NET_SENT, "bytes/s", Math.max(0, out - lastNetOut) / seconds);
            }
            lastNetIn = in;
            lastNetOut = out;
            long read = 0;
            long written = 0;
            for (HWDiskStore d : disks) {
                d.updateAttributes();
                read += d.getReadBytes();
                written += d.getWriteBytes();
            }
            if (seconds > 0 && lastDiskRead >= 0) {
                sink.gauge(DISK_READ, "bytes/s", Math.max(0, read - lastDiskRead) / seconds);
                sink.gauge(DISK_WRITTEN, "bytes/s", Math.max(0, written - lastDiskWrite) / seconds);
            }
            lastDiskRead = read;
            lastDiskWrite = written;
        }
    }
}
