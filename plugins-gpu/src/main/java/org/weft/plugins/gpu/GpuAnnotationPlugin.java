package org.weft.plugins.gpu;

import java.util.HashMap;
import java.util.Map;

import org.weft.plugin.api.WorkerPlugin;
import org.weft.plugin.api.WorkerTaskState;
import org.weft.plugin.api.WorkerTransitionEvent;

/**
 * dasf's {@code GPUAnnotationPlugin}: each task's execution is an NVTX range named by its key and
 * coloured by its key prefix, from entering {@code executing} until it leaves {@code executing} or
 * {@code long-running}, so Nsight Systems shows tasks on the GPU timeline. One instance per worker;
 * installed only when NVTX is there.
 */
final class GpuAnnotationPlugin implements WorkerPlugin {

    static final String NAME = "gpu-annotation";
    private static final int[] COLOURS = {0xff4e79a7, 0xfff28e2b, 0xffe15759, 0xff76b7b2, 0xff59a14f, 0xffedc948,
            0xffb07aa1, 0xffff9da7, 0xff9c755f, 0xffbab0ac};

    private final Nvtx nvtx;
    private final Map<String, Long> open = new HashMap<>();

    GpuAnnotationPlugin(Nvtx nvtx) {
        this.nvtx = nvtx;
    }

    @Override
    public void transition(WorkerTransitionEvent e) {
        boolean running = e.finish() == WorkerTaskState.EXECUTING || e.finish() == WorkerTaskState.LONG_RUNNING;
        boolean wasRunning = e.start() == WorkerTaskState.EXECUTING || e.start() == WorkerTaskState.LONG_RUNNING;
        if (running && !wasRunning) {
            open.put(e.key(), nvtx.start(e.key(), colour(e.key())));
        } else if (wasRunning && !running) {
            Long id = open.remove(e.key());
            if (id != null) {
                nvtx.end(id);
            }
        }
    }

    /** The same colour for every key of a prefix: the prefix is the key up to its last '-'. */
    static int colour(String key) {
        int dash = key.lastIndexOf('-');
        String prefix = dash > 0 ? key.substring(0, dash) : key;
        return COLOURS[Math.floorMod(prefix.hashCode(), COLOURS.length)];
    }

    int openRanges() {
        return open.size();
    }
}
