package org.weft.plugins.gpu;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import org.weft.plugin.api.MetricsSource;

/**
 * This machine's NVIDIA GPUs through NVML, or why there are none. {@link #open} never throws: a
 * missing library, a driver that is not loaded or zero devices give an absent {@code Nvml} whose
 * {@link #describe()} says so and whose {@link #read} reports nothing. {@link #read} is called from
 * one thread at a time (the monitor's sampler).
 */
public final class Nvml implements MetricsSource, AutoCloseable {

    /** The driver's library; the unversioned {@code libnvidia-ml.so} is often the CUDA toolkit's stub. */
    public static final String DEFAULT_LIBRARY = "libnvidia-ml.so.1";
    /** The name of the resource the GPUs are offered as. */
    public static final String RESOURCE = "GPU";

    private final NvmlLibrary lib;
    private final List<Device> devices;
    private final String absence;
    /** "index/what" of calls a device answered NOT_SUPPORTED: not asked again. */
    private final Set<String> unsupported = new HashSet<>();

    /** One GPU: its index, handle and name. */
    public record Device(int index, Pointer handle, String name) {
    }

    private Nvml(NvmlLibrary lib, List<Device> devices, String absence) {
        this.lib = lib;
        this.devices = devices;
        this.absence = absence;
    }

    /** Loads NVML from {@code library} (a name the dynamic linker finds, or a path) and lists the GPUs. */
    public static Nvml open(String library) {
        NvmlLibrary lib;
        try {
            lib = Native.load(library, NvmlLibrary.class);
        } catch (UnsatisfiedLinkError e) {
            return absent(library + " not found (no NVIDIA driver)");
        } catch (RuntimeException | LinkageError e) {
            return absent(library + " could not be loaded: " + e);
        }
        int rc = lib.nvmlInit_v2();
        if (rc != NvmlLibrary.SUCCESS) {
            return absent("NVML did not start: " + error(lib, rc));
        }
        IntByReference count = new IntByReference();
        rc = lib.nvmlDeviceGetCount_v2(count);
        if (rc != NvmlLibrary.SUCCESS) {
            lib.nvmlShutdown();
            return absent("NVML cannot count the GPUs: " + error(lib, rc));
        }
        List<Device> found = new ArrayList<>();
        for (int i = 0; i < count.getValue(); i++) {
            PointerByReference handle = new PointerByReference();
            if (lib.nvmlDeviceGetHandleByIndex_v2(i, handle) != NvmlLibrary.SUCCESS) {
                continue; // e.g. no permission on this one
            }
            byte[] name = new byte[NvmlLibrary.NAME_BUFFER_SIZE];
            String text = lib.nvmlDeviceGetName(handle.getValue(), name, name.length) == NvmlLibrary.SUCCESS
                    ? cString(name) : "GPU " + i;
            found.add(new Device(i, handle.getValue(), text));
        }
        if (found.isEmpty()) {
            lib.nvmlShutdown();
            return absent("NVML found no GPU");
        }
        return new Nvml(lib, List.copyOf(found), null);
    }

    private static Nvml absent(String why) {
        return new Nvml(null, List.of(), why);
    }

    public boolean present() {
        return absence == null;
    }

    public List<Device> devices() {
        return devices;
    }

    @Override
    public String name() {
        return "gpu";
    }

    @Override
    public String describe() {
        if (!present()) {
            return "no GPU found (" + absence + ")";
        }
        StringBuilder b = new StringBuilder().append(devices.size()).append(devices.size() == 1 ? " GPU: " : " GPUs: ");
        for (Device d : devices) {
            b.append(d.index() == devices.get(0).index() ? "" : ", ").append(d.index()).append(' ').append(d.name());
        }
        return b.toString();
    }

    /** Per GPU: utilization and memory-busy %, memory used and total, temperature, power. */
    /** The resource {@code GPU}: how many GPUs NVML found here (0 without a driver), for {@code --resources GPU=auto}. */
    @Override
    public Map<String, Double> resources() {
        return Map.of(RESOURCE, (double) devices.size());
    }

    @Override
    public void read(Gauges gauges) {
        for (Device d : devices) {
            String gpu = "GPU " + d.index() + " ";
            if (supported(d, "utilization")) {
                NvmlLibrary.Utilization u = new NvmlLibrary.Utilization();
                if (check(d, "utilization", lib.nvmlDeviceGetUtilizationRates(d.handle(), u))) {
                    gauges.gauge(gpu + "utilization", "%", u.gpu);
                    gauges.gauge(gpu + "memory busy", "%", u.memory);
                }
            }
            if (supported(d, "memory")) {
                NvmlLibrary.Memory m = new NvmlLibrary.Memory();
                if (check(d, "memory", lib.nvmlDeviceGetMemoryInfo(d.handle(), m))) {
                    gauges.gauge(gpu + "memory used", "bytes", m.used);
                    gauges.gauge(gpu + "memory total", "bytes", m.total);
                }
            }
            IntByReference value = new IntByReference();
            if (supported(d, "temperature")
                    && check(d, "temperature", lib.nvmlDeviceGetTemperature(d.handle(), NvmlLibrary.TEMPERATURE_GPU, value))) {
                gauges.gauge(gpu + "temperature", "°C", value.getValue());
            }
            if (supported(d, "power") && check(d, "power", lib.nvmlDeviceGetPowerUsage(d.handle(), value))) {
                gauges.gauge(gpu + "power", "W", value.getValue() / 1000.0);
            }
        }
    }

    private boolean supported(Device d, String what) {
        return !unsupported.contains(d.index() + "/" + what);
    }

    /** Whether the call succeeded; a NOT_SUPPORTED answer is remembered so the call is not made again. */
    private boolean check(Device d, String what, int rc) {
        if (rc == NvmlLibrary.ERROR_NOT_SUPPORTED) {
            unsupported.add(d.index() + "/" + what);
        }
        return rc == NvmlLibrary.SUCCESS;
    }

    private static String error(NvmlLibrary lib, int rc) {
        try {
            return lib.nvmlErrorString(rc) + " (" + rc + ")";
        } catch (RuntimeException | LinkageError e) {
            return "error " + rc;
        }
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (lib != null && present()) {
            lib.nvmlShutdown();
        }
    }
}
