package org.weft.plugins.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerTransitionEvent;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** NVTX ranges per task: the struct layout and calls against a stand-in built here, and the real library where installed. */
class NvtxTest {

    @TempDir
    Path dir;

    interface StandInQueries extends Library {
        int standin_open_ranges();

        String standin_last_message();

        int standin_last_color();

        int standin_bad_attributes();

        int standin_attributes_size();
    }

    private static WorkerTransitionEvent event(String key, WorkerTaskState start, WorkerTaskState finish) {
        return new WorkerTransitionEvent(key, start, finish, "test", "inproc://worker-1", -1, List.of(), null, null);
    }

    @Test
    void theAttributesStructHasNvtxThreesLayout() {
        assertEquals(Nvtx.ATTRIBUTES_SIZE, Nvtx.attributes(0).size());
    }

    @Test
    void withoutTheLibraryThereAreNoRanges() {
        Nvtx nvtx = Nvtx.open("libnvtx3interop-not-here.so.1");
        assertFalse(nvtx.present());
        assertTrue(nvtx.absence().contains("not found"), nvtx.absence());
    }

    @Test
    void eachTaskRunIsOneRangeNamedByItsKeyFromExecutingUntilItLeavesAlsoAfterSeceding() throws Exception {
        Path so = StandInLibrary.build("nvtx_standin.c", dir);
        Nvtx nvtx = Nvtx.open(so.toString());
        assertTrue(nvtx.present());
        StandInQueries q = Native.load(so.toString(), StandInQueries.class);
        assertEquals(Nvtx.ATTRIBUTES_SIZE, q.standin_attributes_size(), "the C struct is as big as ours");
        GpuAnnotationPlugin plugin = new GpuAnnotationPlugin(nvtx);

        plugin.transition(event("inc-7", WorkerTaskState.READY, WorkerTaskState.EXECUTING));
        assertEquals(0, q.standin_bad_attributes(), "version, size, colour and message types as NVTX expects");
        assertEquals("inc-7", q.standin_last_message());
        assertEquals(GpuAnnotationPlugin.colour("inc-7"), q.standin_last_color());
        assertEquals(GpuAnnotationPlugin.colour("inc-8"), GpuAnnotationPlugin.colour("inc-7"), "one colour per prefix");
        plugin.transition(event("sum-1", WorkerTaskState.READY, WorkerTaskState.EXECUTING));
        plugin.transition(event("sum-1", WorkerTaskState.EXECUTING, WorkerTaskState.LONG_RUNNING));
        assertEquals(2, q.standin_open_ranges(), "seceding keeps the range open");
        plugin.transition(event("inc-7", WorkerTaskState.EXECUTING, WorkerTaskState.MEMORY));
        plugin.transition(event("sum-1", WorkerTaskState.LONG_RUNNING, WorkerTaskState.ERROR));
        assertEquals(0, q.standin_open_ranges());
        assertEquals(0, plugin.openRanges());
    }

    @Test
    void theRealLibraryTakesARange() {
        Nvtx nvtx = Nvtx.open(Nvtx.DEFAULT_LIBRARY);
        Assumptions.assumeTrue(nvtx.present(), "SKIPPED: " + Nvtx.DEFAULT_LIBRARY + " is not installed here (pip install "
                + "nvidia-nvtx puts it in site-packages/nvidia/nvtx/lib; or CUDA 13's lib/): the real library is not called");
        GpuAnnotationPlugin plugin = new GpuAnnotationPlugin(nvtx);
        plugin.transition(event("inc-1", WorkerTaskState.READY, WorkerTaskState.EXECUTING));
        assertTrue(nvtx.colours(), "nvtxRangeStartEx took our attributes");
        plugin.transition(event("inc-1", WorkerTaskState.EXECUTING, WorkerTaskState.MEMORY));
        assertEquals(0, plugin.openRanges());
    }
}
