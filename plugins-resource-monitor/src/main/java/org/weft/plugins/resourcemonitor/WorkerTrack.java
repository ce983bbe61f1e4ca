package org.weft.plugins.resourcemonitor;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import org.weft.plugins.resourcemonitor.TaskSpan.Phase;

/**
 * The trace of one worker: open phases by key, the thread lanes in use, and the finished spans in
 * a bounded ring. {@link #transition} runs on the worker's loop only (never concurrently); the
 * sampler reads {@link #executing()} and {@link #bytesHeld()} from its own thread.
 *
 * <p>A task that starts executing takes the lowest free lane and keeps it while it runs, also when
 * it secedes (long-running): spans on one lane never overlap, so the complete events of a lane nest
 * as the trace format requires.
 */
final class WorkerTrack {

    final String address;
    final int nthreads;
    final BoundedRing<TaskSpan> spans;
    private final Map<String, Open> open = new HashMap<>();
    private final BitSet busyLanes = new BitSet();
    private volatile int executing;
    private volatile long bytesHeld;

    private record Open(Phase phase, long startMicros, int lane, String stimulusId) {
    }

    WorkerTrack(String address, int nthreads, int maxSpans) {
        this.address = address;
        this.nthreads = nthreads;
        this.spans = new BoundedRing<>(maxSpans);
    }

    /**
     * A task moved from a phase (or none) to another (or none) at {@code nowMicros}.
     *
     * A phase that begins and ends within one stimulus (a task whose inputs are all there waits for
     * none) is not a span: it would only add a zero-length event per task.
     *
     * @param stimulusId the stimulus that caused the transition
     * @param nbytes the result's size where known, else -1
     * @param error the error text when the task failed, else {@code null}
     */
    void transition(String key, Phase closing, Phase opening, String stimulusId, long nowMicros, long nbytes,
            String error) {
        int lane = -1;
        if (closing != null) {
            Open o = open.remove(key);
            if (o != null && o.phase == closing) {
                if (closing.onThread() || !java.util.Objects.equals(o.stimulusId, stimulusId)) {
                    spans.add(new TaskSpan(key, closing, o.lane, o.startMicros, nowMicros - o.startMicros, nbytes, error));
                }
                lane = o.lane;
            }
        }
        boolean keepLane = lane >= 0 && opening != null && opening.onThread();
        if (lane >= 0 && !keepLane) {
            busyLanes.clear(lane);
            executing--;
        }
        if (opening != null) {
            int newLane = -1;
            if (keepLane) {
                newLane = lane;
            } else if (opening.onThread()) {
                newLane = busyLanes.nextClearBit(0);
                busyLanes.set(newLane);
                executing++;
            }
            open.put(key, new Open(opening, nowMicros, newLane, stimulusId));
        }
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
