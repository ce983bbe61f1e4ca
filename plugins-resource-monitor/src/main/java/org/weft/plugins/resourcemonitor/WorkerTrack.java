package org.weft.plugins.resourcemonitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.weft.plugins.resourcemonitor.TaskSpan.Phase;

/**
 * The trace of one worker: the thread lanes in use, the tasks waiting or fetching, and the finished
 * spans in a bounded {@link SpanRing}. {@link #transition} runs on the worker's loop only (never
 * concurrently); the sampler reads {@link #executing()} and {@link #bytesHeld()} from its own thread.
 *
 * <p>A task that starts executing takes the lowest free lane and keeps it while it runs, also when
 * it secedes (long-running): spans on one lane never overlap, so the complete events of a lane nest
 * as the trace format requires. What runs on a lane is kept in arrays indexed by lane, and the
 * latest wait in one slot, so the common task (its inputs there, one thread) allocates nothing here.
 */
final class WorkerTrack {

    final String address;
    final int nthreads;
    final SpanRing spans;
    /** Per lane: the task running there ({@code null}: free), its phase, since when. */
    private String[] laneKey;
    private Phase[] lanePhase;
    private long[] laneStart;
    /**
     * The latest task to start waiting or fetching, its phase, since when, by which stimulus (in
     * fields: no object per task); older ones still open are in {@link #open}.
     */
    private String slotKey;
    private Phase slotPhase;
    private long slotStart;
    private String slotStimulus;
    private final Map<String, Open> open = new HashMap<>();
    /** Written by the loop with release stores (no fence per task), read by the sampler. */
    private int executing;
    private long bytesHeld;
    private static final VarHandle EXECUTING;
    private static final VarHandle BYTES_HELD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            EXECUTING = lookup.findVarHandle(WorkerTrack.class, "executing", int.class);
            BYTES_HELD = lookup.findVarHandle(WorkerTrack.class, "bytesHeld", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record Open(Phase phase, long startMicros, String stimulusId) {
    }

    WorkerTrack(String address, int nthreads, int maxSpans) {
        this.address = address;
        this.nthreads = nthreads;
        this.spans = new SpanRing(maxSpans);
        int lanes = Math.max(1, nthreads);
        laneKey = new String[lanes];
        lanePhase = new Phase[lanes];
        laneStart = new long[lanes];
    }

    /** {@link #transition}'s {@code nowMicros} meaning "read {@link TraceClock} if the transition needs a time". */
    static final long NOW = Long.MIN_VALUE;

    /**
     * A task moved from a phase (or none) to another (or none) at {@code nowMicros} ({@link #NOW}:
     * the clock is read only when a span opens or closes, not for a wait that ends unrecorded). A
     * wait that begins and ends within one stimulus (a task whose inputs are all there) is not a
     * span: it would only add a zero-length event per task.
     *
     * @param stimulusId the stimulus that caused the transition
     * @param nbytes the result's size where known, else -1
     * @param error the error text when the task failed, else {@code null}
     */
    void transition(String key, Phase closing, Phase opening, String stimulusId, long nowMicros, long nbytes,
            String error) {
        long now = nowMicros;
        if (closing != null && closing.onThread()) {
            int lane = laneOf(key);
            if (lane >= 0 && lanePhase[lane] == closing) {
                now = now == NOW ? TraceClock.nowMicros() : now;
                spans.add(key, closing, lane, laneStart[lane], now - laneStart[lane], nbytes, error);
                if (opening != null && opening.onThread()) { // seceded: same thread, next phase
                    lanePhase[lane] = opening;
                    laneStart[lane] = now;
                    return;
                }
                laneKey[lane] = null;
                lanePhase[lane] = null;
                EXECUTING.setRelease(this, executing - 1);
            }
        } else if (closing != null) {
            now = closeOpen(key, closing, stimulusId, now, nbytes, error);
        }
        if (opening != null) {
            now = now == NOW ? TraceClock.nowMicros() : now;
            if (opening.onThread()) {
                int lane = freeLane();
                laneKey[lane] = key;
                lanePhase[lane] = opening;
                laneStart[lane] = now;
                EXECUTING.setRelease(this, executing + 1);
            } else {
                if (slotKey != null) {
                    open.put(slotKey, new Open(slotPhase, slotStart, slotStimulus));
                }
                slotKey = key;
                slotPhase = opening;
                slotStart = now;
                slotStimulus = stimulusId;
            }
        }
    }

    /** Ends a wait or fetch: a span unless it began in this very stimulus. Returns the time read, if any. */
    private long closeOpen(String key, Phase closing, String stimulusId, long now, long nbytes, String error) {
        Phase phase;
        long start;
        String since;
        if (key.equals(slotKey)) {
            phase = slotPhase;
            start = slotStart;
            since = slotStimulus;
            slotKey = null;
            slotPhase = null;
            slotStimulus = null;
        } else {
            Open o = open.isEmpty() ? null : open.remove(key);
            if (o == null) {
                return now;
            }
            phase = o.phase;
            start = o.startMicros;
            since = o.stimulusId;
        }
        if (phase == closing && !Objects.equals(since, stimulusId)) {
            now = now == NOW ? TraceClock.nowMicros() : now;
            spans.add(key, closing, -1, start, now - start, nbytes, error);
        }
        return now;
    }

    private int laneOf(String key) {
        for (int i = 0; i < laneKey.length; i++) {
            if (key.equals(laneKey[i])) {
                return i;
            }
        }
        return -1;
    }

    private int freeLane() {
        for (int i = 0; i < laneKey.length; i++) {
            if (laneKey[i] == null) {
                return i;
            }
        }
        int lane = laneKey.length; // more tasks than threads run (seceded ones): one more lane
        laneKey = Arrays.copyOf(laneKey, lane + 1);
        lanePhase = Arrays.copyOf(lanePhase, lane + 1);
        laneStart = Arrays.copyOf(laneStart, lane + 1);
        return lane;
    }

    /** A result of {@code nbytes} arrived in ({@code +}) or left ({@code -}) this worker's memory. */
    void held(long nbytes) {
        BYTES_HELD.setRelease(this, Math.max(0, bytesHeld + nbytes));
    }

    int executing() {
        return (int) EXECUTING.getAcquire(this);
    }

    long bytesHeld() {
        return (long) BYTES_HELD.getAcquire(this);
    }
}
