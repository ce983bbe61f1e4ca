package org.weft.plugins.gpu;

import java.nio.charset.StandardCharsets;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * NVTX ranges through {@code libnvtx3interop.so.1}, or nothing when the library is not there.
 * {@link #open} never throws. Thread-safe (NVTX is).
 */
public final class Nvtx {

    public static final String DEFAULT_LIBRARY = "libnvtx3interop.so.1";
    /** The size of {@code nvtxEventAttributes_t} that NVTX 3 expects. */
    static final int ATTRIBUTES_SIZE = 48;

    private final NvtxLibrary lib;
    private final String absence;
    private volatile boolean colours = true;

    private Nvtx(NvtxLibrary lib, String absence) {
        this.lib = lib;
        this.absence = absence;
    }

    public static Nvtx open(String library) {
        try {
            return new Nvtx(Native.load(library, NvtxLibrary.class), null);
        } catch (UnsatisfiedLinkError e) {
            return new Nvtx(null, library + " not found (pip install nvidia-nvtx, or point nvtxLibrary at it)");
        } catch (RuntimeException | LinkageError e) {
            return new Nvtx(null, library + " could not be loaded: " + e);
        }
    }

    public boolean present() {
        return absence == null;
    }

    /** Why there are no ranges; {@code null} when there are. */
    public String absence() {
        return absence;
    }

    /** Starts a range named {@code name} in colour {@code argb}; returns its id. */
    public long start(String name, int argb) {
        if (colours) {
            try {
                byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
                Memory text = new Memory(ascii.length + 1L);
                text.write(0, ascii, 0, ascii.length);
                text.setByte(ascii.length, (byte) 0);
                NvtxLibrary.EventAttributes a = attributes(argb);
                a.message = text;
                long id = lib.nvtxRangeStartEx(a);
                java.lang.ref.Reference.reachabilityFence(text); // the native string outlives the call
                return id;
            } catch (UnsatisfiedLinkError noEx) {
                colours = false; // an NVTX without the Ex call: names only
            }
        }
        return lib.nvtxRangeStartA(name);
    }

    /** Whether ranges carry a colour ({@code nvtxRangeStartEx} is there); names only otherwise. */
    boolean colours() {
        return colours;
    }

    public void end(long id) {
        lib.nvtxRangeEnd(id);
    }

    static NvtxLibrary.EventAttributes attributes(int argb) {
        NvtxLibrary.EventAttributes a = new NvtxLibrary.EventAttributes();
        a.version = NvtxLibrary.VERSION;
        a.size = (short) a.size();
        a.colorType = NvtxLibrary.COLOR_ARGB;
        a.color = argb;
        a.messageType = NvtxLibrary.MESSAGE_TYPE_ASCII;
        return a;
    }
}
