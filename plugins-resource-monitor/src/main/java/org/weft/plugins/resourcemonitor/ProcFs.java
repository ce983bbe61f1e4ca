package org.weft.plugins.resourcemonitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Linux's own counters, read from {@code /proc} in microseconds where OSHI's general readers take
 * milliseconds (its disk update ~10 ms, process update ~2 ms, network ~1 ms on the test VM):
 * resident memory, network and disk bytes. The files stay open and are parsed in place
 * ({@link ProcFile}). {@link #available()} is false elsewhere. Not thread-safe: the sampler thread
 * alone reads; {@link #close} when done.
 */
final class ProcFs implements AutoCloseable {

    private static final long SECTOR_BYTES = 512;
    private static final byte[] VM_RSS = ascii("VmRSS:");
    private static final byte[][] LOOPBACK = {ascii("lo")};

    /** Whole disks (/sys/block), not their partitions, and not loop or RAM devices. */
    private final byte[][] disks;
    private final ProcFile status;
    private final ProcFile netDev;
    private final ProcFile diskStats;

    ProcFs() {
        byte[][] found = {};
        try (Stream<Path> block = Files.list(Path.of("/sys/block"))) {
            found = block.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("loop") && !n.startsWith("ram"))
                    .map(ProcFs::ascii).toArray(byte[][]::new);
        } catch (IOException | RuntimeException e) {
            // not Linux, or no sysfs: available() says so
        }
        disks = found;
        status = open("/proc/self/status");
        netDev = open("/proc/net/dev");
        diskStats = open("/proc/diskstats");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static ProcFile open(String path) {
        try {
            return new ProcFile(path);
        } catch (IOException | RuntimeException e) {
            return null; // not Linux: available() says so
        }
    }

    boolean available() {
        return status != null && netDev != null && diskStats != null;
    }

    /** {@code VmRSS} of {@code /proc/self/status}, in bytes; -1 if absent. */
    long residentBytes() throws IOException {
        ProcFile f = status.read();
        if (!f.skipPast(VM_RSS)) {
            return -1;
        }
        long kb = f.number();
        return kb < 0 ? -1 : kb * 1024;
    }

    /** Bytes received and sent by every interface but loopback, since boot. */
    long[] networkBytes() throws IOException {
        long in = 0;
        long out = 0;
        ProcFile f = netDev.read();
        for (; !f.atEnd(); f.nextLine()) {
            // "  eth0: rx-bytes packets errs drop fifo frame compressed multicast tx-bytes ..."; two header lines
            if (f.wordIn(LOOPBACK) || !f.skipPastOnLine(':')) {
                continue;
            }
            long received = f.number();
            f.skipWords(7);
            long sent = f.number();
            in += Math.max(0, received);
            out += Math.max(0, sent);
        }
        return new long[] {in, out};
    }

    /** Bytes read and written by the whole disks, since boot. */
    long[] diskBytes() throws IOException {
        long read = 0;
        long written = 0;
        ProcFile f = diskStats.read();
        for (; !f.atEnd(); f.nextLine()) {
            // "major minor name reads merged sectors-read ms writes merged sectors-written ..."
            f.skipWords(2);
            if (!f.wordIn(disks)) {
                continue;
            }
            f.skipWords(2);
            long sectorsRead = f.number();
            f.skipWords(3);
            long sectorsWritten = f.number();
            read += Math.max(0, sectorsRead) * SECTOR_BYTES;
            written += Math.max(0, sectorsWritten) * SECTOR_BYTES;
        }
        return new long[] {read, written};
    }

    @Override
    public void close() {
        for (ProcFile f : new ProcFile[] {status, netDev, diskStats}) {
            try {
                if (f != null) {
                    f.close();
                }
            } catch (IOException e) {
                // a /proc file: nothing to flush
            }
        }
    }
}
