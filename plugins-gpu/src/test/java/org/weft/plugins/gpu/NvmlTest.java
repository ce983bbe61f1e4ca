package org.weft.plugins.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The JNA NVML bindings: against a library that is not there, and against a stand-in built from C here. */
class NvmlTest {

    @TempDir
    Path dir;

    interface StandInQueries extends Library {
        int standin_utilization_calls(int index);
    }

    @Test
    void withoutTheLibraryThereIsNoGpuAndNothingIsRead() {
        Nvml nvml = Nvml.open("libnvidia-ml-not-here.so.1");
        assertFalse(nvml.present());
        assertEquals("no GPU found (libnvidia-ml-not-here.so.1 not found (no NVIDIA driver))", nvml.describe());
        Map<String, Double> read = new LinkedHashMap<>();
        nvml.read((name, unit, value) -> read.put(name, value));
        assertTrue(read.isEmpty());
        assertEquals(Map.of("GPU", 0.0), nvml.resources(), "GPU=auto offers none");
        nvml.close();
    }

    @Test
    void theBindingsReadEveryFigureOfTheStandInsDevices() throws Exception {
        Path so = StandInLibrary.build("nvml_standin.c", dir);
        try (Nvml nvml = Nvml.open(so.toString())) {
            assertTrue(nvml.present(), nvml.describe());
            assertEquals(List.of("Stand-in GPU A100", "Stand-in GPU MIG 1g.10gb"),
                    nvml.devices().stream().map(Nvml.Device::name).toList());
            assertEquals("2 GPUs: 0 Stand-in GPU A100, 1 Stand-in GPU MIG 1g.10gb", nvml.describe());
            assertEquals(Map.of("GPU", 2.0), nvml.resources(), "GPU=auto offers both");
            Map<String, String> read = new LinkedHashMap<>();
            nvml.read((name, unit, value) -> read.put(name, value + " " + unit));
            assertEquals("87.0 %", read.get("GPU 0 utilization"));
            assertEquals("40.0 %", read.get("GPU 0 memory busy"));
            assertEquals((double) (1L << 30) + " bytes", read.get("GPU 0 memory used"));
            assertEquals((double) (1L << 30) + 1 + " bytes", read.get("GPU 1 memory used"), "each device's own handle");
            assertEquals((double) (80L << 30) + " bytes", read.get("GPU 0 memory total"));
            assertEquals("66.0 °C", read.get("GPU 1 temperature"));
            assertEquals("250.5 W", read.get("GPU 0 power"));
            assertFalse(read.containsKey("GPU 1 utilization"), "a MIG device's utilization is not supported");

            nvml.read((name, unit, value) -> { });
            StandInQueries q = Native.load(so.toString(), StandInQueries.class);
            assertEquals(2, q.standin_utilization_calls(0));
            assertEquals(1, q.standin_utilization_calls(1), "a call answered NOT_SUPPORTED is not made again");
        }
    }

    @Test
    void theRealDriverWhereThereIsOne() {
        try (Nvml nvml = Nvml.open(Nvml.DEFAULT_LIBRARY)) {
            Assumptions.assumeTrue(nvml.present(), "SKIPPED: " + nvml.describe() + ": the real NVML is not called here "
                    + "(plugins-gpu/gpu-check.sh runs this on a GPU machine)");
            Map<String, String> read = new LinkedHashMap<>();
            nvml.read((name, unit, value) -> read.put(name, value + " " + unit));
            System.out.println("real NVML: " + nvml.describe() + " " + read);
            assertTrue(read.containsKey("GPU " + nvml.devices().get(0).index() + " memory used"), read.toString());
        }
    }

    @Test
    void aDriverThatIsNotLoadedIsSaidOnce() throws Exception {
        Path so = StandInLibrary.build("nvml_standin.c", dir, "INIT_RESULT=9");
        Nvml nvml = Nvml.open(so.toString());
        assertFalse(nvml.present());
        assertEquals("no GPU found (NVML did not start: Driver Not Loaded (9))", nvml.describe());
    }
}
