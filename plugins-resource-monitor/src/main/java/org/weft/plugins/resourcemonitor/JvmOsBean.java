package org.weft.plugins.resourcemonitor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The JVM's own process CPU time and open file count ({@code com.sun.management}'s operating
 * system bean: microseconds per call), reached by name so the bundle needs no import of a JDK
 * package the framework may not export. A figure the JVM does not offer reads as -1.
 */
final class JvmOsBean {

    private final OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    private final MethodHandle processCpuTime = getter("com.sun.management.OperatingSystemMXBean", "getProcessCpuTime");
    private final MethodHandle openFiles = getter("com.sun.management.UnixOperatingSystemMXBean",
            "getOpenFileDescriptorCount");

    private MethodHandle getter(String type, String method) {
        try {
            Class<?> c = Class.forName(type, false, ClassLoader.getSystemClassLoader());
            if (!c.isInstance(bean)) {
                return null;
            }
            return MethodHandles.publicLookup().findVirtual(c, method, MethodType.methodType(long.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    boolean hasProcessCpuTime() {
        return processCpuTime != null;
    }

    /** Nanoseconds of CPU this process used, or -1. */
    long processCpuNanos() {
        return call(processCpuTime);
    }

    /** Open file descriptors of this process, or -1. */
    long openFiles() {
        return call(openFiles);
    }

    private long call(MethodHandle h) {
        if (h == null) {
            return -1;
        }
        try {
            return (long) h.invoke(bean);
        } catch (Throwable e) {
            return -1;
        }
    }
}
