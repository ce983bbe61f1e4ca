package org.weft.plugins.resourcemonitor;

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
    /** The latest task to start waiting or fetching; older ones still open are in {@link #open}. */
    private String slotKey;
    private Open slot;
    private final Map<String, Open> open = new HashMap<>();
    private volatile int executing;
    private volatile long bytesHeld;

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

    /**
     * A task moved from a phase (or none) to another (or none) at {@code nowMicros}. A wait that
     * begins and ends within one stimulus (a task whose inputs are all there) is not a span: it
     * would only add a zero-length event per task.
     *
     * @param stimulusId the stimulus that caused the transition
     * @param nbytes the result's size where known, else -1
     * @param error the error text when the task failed, else {@code null}
     */
    void transition(String key, Phase closing, Phase opening, String stimulusId, long nowMicros, long nbytes,
            String error) {
        if (closing != null && closing.onThread()) {
            int lane = laneOf(key);
            if (lane >= 0 && lanePhase[lane] == closing) {
                spans.add(key, closing, lane, laneStart[lane], nowMicros - laneStart[lane], nbytes, error);
                if (opening != null && opening.onThread()) { // seceded: same thread, next phase
                    lanePhase[lane] = opening;
                    laneStart[lane] = nowMicros;
                    return;
                }
                laneKey[lane] = null;
                lanePhase[lane] = null;
                executing--;
            }
        } else if (closing != null) {
            Open o = takeOpen(key);
            if (o != null && o.phase == closing && !Objects.equals(o.stimulusId, stimulusId)) {
                spans.add(key, closing, -1, o.startMicros, nowMicros - o.startMicros, nbytes, error);
            }
        }
        if (opening != null && opening.onThread()) {
            int lane = freeLane();
            laneKey[lane] = key;
            lanePhase[lane] = opening;
            laneStart[lane] = nowMicros;
            executing++;
        } else if (opening != null) {
            if (slotKey != null) {
                open.put(slotKey, slot);
            }
            slotKey = key;
            slot = new Open(opening, nowMicros, stimulusId);
        }
    }

    private Open takeOpen(String key) {
        if (key.equals(slotKey)) {
            Open o = slot;
            slotKey = null;
            slot = null;
            return o;
        }
        return open.isEmpty() ? null : open.remove(key);
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
        bytesHeld = Math.max(0, bytesHeld + nbytes);
    }

    int executing() {
        return executing;
    }

    long bytesHeld() {
        return bytesHeld;
    }
}
