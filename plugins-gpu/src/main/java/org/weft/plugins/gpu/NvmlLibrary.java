package org.weft.plugins.gpu;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The NVML calls Weft makes, bound by JNA to the driver's {@code libnvidia-ml.so.1} (see NVIDIA's
 * {@code nvml.h}). Every call returns an {@code nvmlReturn_t}: 0 success, 1 uninitialized, 2 invalid
 * argument, 3 not supported (e.g. utilization of a MIG device), 4 no permission, 9 driver not
 * loaded, 12 library not found, 15 GPU lost. A device handle ({@code nvmlDevice_t}) is a pointer.
 */
public interface NvmlLibrary extends Library {

    int SUCCESS = 0;
    int ERROR_NOT_SUPPORTED = 3;
    /** {@code NVML_DEVICE_NAME_V2_BUFFER_SIZE}. */
    int NAME_BUFFER_SIZE = 96;
    /** {@code NVML_TEMPERATURE_GPU}. */
    int TEMPERATURE_GPU = 0;

    int nvmlInit_v2();

    int nvmlShutdown();

    int nvmlDeviceGetCount_v2(IntByReference count);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);

    int nvmlDeviceGetMemoryInfo(Pointer device, Memory memory);

    int nvmlDeviceGetTemperature(Pointer device, int sensor, IntByReference celsius);

    /** Milliwatts. */
    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);

    String nvmlErrorString(int result);

    /** {@code nvmlUtilization_t}: percent of time the GPU computed / its memory was read or written. */
    @Structure.FieldOrder({"gpu", "memory"})
    class Utilization extends Structure {
        public int gpu;
        public int memory;
    }

    /** {@code nvmlMemory_t}: bytes. */
    @Structure.FieldOrder({"total", "free", "used"})
    class Memory extends Structure {
        public long total;
        public long free;
        public long used;
    }
}
