package org.weft.launcher;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --memory-limit}, as {@code dask worker} reads it: a size in bytes with an optional unit
 * ({@code 2G}, {@code 2GB} and {@code 2e9} are 2 000 000 000 bytes; {@code 2GiB} is 2^31; k, M, G,
 * T and their KiB, MiB, GiB, TiB forms, any case), or a share of this machine's memory
 * ({@code 80%}); {@code 0} or {@code none}: no limit.
 */
final class MemoryLimit {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?(?:[eE]\\d+)?)\\s*([kmgtKMGT]?)(i?)[bB]?");
    private static final Pattern SHARE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");

    private MemoryLimit() {
    }

    /**
     * @return the limit in bytes, 0 for none
     * @throws IllegalArgumentException with a message for the user when the value is not one
     */
    static long parse(String value, long machineBytes) {
        String v = value == null ? "" : value.trim();
        if (v.equals("0") || v.equalsIgnoreCase("none")) {
            return 0;
        }
        Matcher share = SHARE.matcher(v);
        if (share.matches()) {
            double percent = Double.parseDouble(share.group(1));
            if (percent <= 0 || percent > 100) {
                throw new IllegalArgumentException("--memory-limit as a share of this machine's memory must be above 0% and "
                        + "at most 100%, was '" + value + "'");
            }
            return (long) (machineBytes * percent / 100);
        }
        Matcher size = SIZE.matcher(v);
        if (!size.matches()) {
            throw new IllegalArgumentException("--memory-limit must be a size such as 2G, 1.5GiB or 800M, a share of this "
                    + "machine's memory such as 80%, or none; was '" + value + "'");
        }
        String unit = size.group(2).toLowerCase(Locale.ROOT);
        int power = "kmgt".indexOf(unit) + 1;
        double base = size.group(3).isEmpty() ? 1000 : 1024;
        double bytes = Double.parseDouble(size.group(1)) * Math.pow(base, unit.isEmpty() ? 0 : power);
        if (!size.group(3).isEmpty() && unit.isEmpty()) {
            throw new IllegalArgumentException("--memory-limit: 'i' needs a unit before it (KiB, MiB, GiB, TiB); was '" + value + "'");
        }
        if (bytes < 1 << 20) {
            throw new IllegalArgumentException("--memory-limit must be at least 1 MiB (a worker's JVM needs more), was '" + value + "'");
        }
        return (long) bytes;
    }

    /** This machine's physical memory in bytes. */
    static long machineBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory() * 4;
    }
}
