package org.weft.plugins.resourcemonitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

import org.weft.plugins.resourcemonitor.TaskSpan.Phase;

/**
 * The spans of one worker in parallel arrays, keeping the newest {@code capacity} and counting the
 * ones overwritten: no object per span while recording (a span object per task, kept until the ring
 * wraps, was garbage the young collector had to copy), {@link TaskSpan}s only when a file is
 * written. One thread adds (the worker's loop), without a lock: it claims a slot, fills it, then
 * publishes it with release stores; readers (writing files, resizing) lock among themselves and
 * keep only the slots that no add overwrote while they copied. A resize asked for from another
 * thread is applied by the next add, on the loop.
 */
final class SpanRing {

    private static final Phase[] PHASES = Phase.values();

    private String[] keys;
    private byte[] phases;
    private int[] lanes;
    private long[] starts;
    private long[] durations;
    private long[] sizes;
    private String[] errors;
    /** Spans published; {@link #claimed} runs one ahead while an add fills its slot. */
    private long written;
    private long claimed;
    private long droppedEarlier;
    /** A capacity asked for by {@link #resize} and not yet applied (0: none). */
    private volatile int resizeTo;
    private static final VarHandle WRITTEN;
    private static final VarHandle CLAIMED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WRITTEN = lookup.findVarHandle(SpanRing.class, "written", long.class);
            CLAIMED = lookup.findVarHandle(SpanRing.class, "claimed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    SpanRing(int capacity) {
        allocate(Math.max(1, capacity));
    }

    private void allocate(int capacity) {
        keys = new String[capacity];
        phases = new byte[capacity];
        lanes = new int[capacity];
        starts = new long[capacity];
        durations = new long[capacity];
        sizes = new long[capacity];
        errors = new String[capacity];
    }

    /** Adds a span; only ever called from one thread at a time (the worker's loop). */
    void add(String key, Phase phase, int lane, long startMicros, long durationMicros, long nbytes, String error) {
        if (resizeTo != 0) {
            applyResize();
        }
        long n = written;
        CLAIMED.setOpaque(this, n + 1);
        VarHandle.storeStoreFence(); // readers that see a slot's new contents also see the claim
        int i = (int) (n % keys.length);
        keys[i] = key;
        phases[i] = (byte) phase.ordinal();
        lanes[i] = lane;
        starts[i] = startMicros;
        durations[i] = durationMicros;
        sizes[i] = nbytes;
        errors[i] = error;
        WRITTEN.setRelease(this, n + 1);
    }

    /** The spans held, oldest first. */
    synchronized List<TaskSpan> snapshot() {
        long end = (long) WRITTEN.getAcquire(this);
        int capacity = keys.length;
        List<TaskSpan> out = new ArrayList<>((int) Math.min(end, capacity));
        for (long n = Math.max(0, end - capacity); n < end; n++) {
            int i = (int) (n % capacity);
            out.add(new TaskSpan(keys[i], PHASES[phases[i]], lanes[i], starts[i], durations[i], sizes[i], errors[i]));
        }
        VarHandle.loadLoadFence();
        long overwritten = (long) CLAIMED.getOpaque(this) - capacity; // spans before this one may be overwritten
        long first = Math.max(0, end - capacity);
        return overwritten > first ? new ArrayList<>(out.subList((int) Math.min(out.size(), overwritten - first), out.size())) : out;
    }

    synchronized long dropped() {
        return droppedEarlier + Math.max(0, (long) WRITTEN.getAcquire(this) - keys.length);
    }

    synchronized int size() {
        return (int) Math.min((long) WRITTEN.getAcquire(this), keys.length);
    }

    /** A new capacity, applied by the next {@link #add} (on the loop, which alone writes the arrays). */
    void resize(int capacity) {
        resizeTo = Math.max(1, capacity);
    }

    /** Applies the capacity asked for: keeps the newest spans that fit; the rest count as dropped. */
    private synchronized void applyResize() {
        int capacity = resizeTo;
        resizeTo = 0;
        if (capacity == keys.length) {
            return;
        }
        List<TaskSpan> kept = snapshot();
        int from = Math.max(0, kept.size() - capacity);
        droppedEarlier = dropped() + from;
        allocate(capacity);
        WRITTEN.setRelease(this, 0L);
        CLAIMED.setRelease(this, 0L);
        for (TaskSpan s : kept.subList(from, kept.size())) {
            add(s.key(), s.phase(), s.lane(), s.startMicros(), s.durationMicros(), s.nbytes(), s.error());
        }
    }
}
