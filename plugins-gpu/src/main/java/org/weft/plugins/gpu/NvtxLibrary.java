package org.weft.plugins.gpu;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The NVTX range calls, bound by JNA to {@code libnvtx3interop.so.1} (NVIDIA's {@code nvidia-nvtx}
 * wheel; NVTX 3 itself is header-only in C, and {@code libnvToolsExt} left CUDA 12.9). Without a
 * profiler attached the calls do nothing. Ranges are started and ended by id, not pushed and
 * popped, because a task's end may be seen on another thread than its start.
 */
public interface NvtxLibrary extends Library {

    /** {@code NVTX_VERSION}. */
    short VERSION = 3;
    /** {@code NVTX_COLOR_ARGB}. */
    int COLOR_ARGB = 1;
    /** {@code NVTX_MESSAGE_TYPE_ASCII}. */
    int MESSAGE_TYPE_ASCII = 1;

    /** Starts a range named {@code message}; returns its id ({@code nvtxRangeId_t}). */
    long nvtxRangeStartA(String message);

    /** Starts a range described by {@code attributes} (name and colour). */
    long nvtxRangeStartEx(EventAttributes attributes);

    void nvtxRangeEnd(long id);

    /** {@code nvtxEventAttributes_t} (version 3, 48 bytes on 64-bit). */
    @Structure.FieldOrder({"version", "size", "category", "colorType", "color", "payloadType", "reserved0", "payload",
            "messageType", "message"})
    class EventAttributes extends Structure {
        public short version;
        public short size;
        public int category;
        public int colorType;
        public int color;
        public int payloadType;
        public int reserved0;
        public long payload;
        public int messageType;
        public Pointer message;
    }
}
