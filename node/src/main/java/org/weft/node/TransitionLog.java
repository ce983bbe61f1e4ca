package org.weft.node;

import java.util.ArrayList;
import java.util.List;

import org.weft.plugin.api.TransitionRecord;

/**
 * A bounded ring of the most recent transitions: answers "what happened to this key and why".
 * Stored as parallel arrays (no object per transition, which matters at several transitions per
 * task); {@link TransitionRecord}s are built only when a story is asked for. Not thread-safe;
 * owned by one loop.
 */
public final class TransitionLog {

    private final String where;
    private final String[] keys;
    private final String[] starts;
    private final String[] finishes;
    private final String[] stimulusIds;
    private final long[] timestamps;
    private long next;
    /** Transitions recorded before this log took over from a log of another size ({@link #resized}). */
    private long earlier;

    /** A log of the scheduler's transitions. */
    public TransitionLog(int capacity) {
        this(capacity, "scheduler");
    }

    /** @param where what the records name as the place of the transitions, e.g. a worker's address */
    public TransitionLog(int capacity, String where) {
        if (capacity < 1) {
            throw new IllegalArgumentException("story capacity must be at least 1, was " + capacity);
        }
        this.where = where;
        this.keys = new String[capacity];
        this.starts = new String[capacity];
        this.finishes = new String[capacity];
        this.stimulusIds = new String[capacity];
        this.timestamps = new long[capacity];
    }

    /** Records one transition; {@code start} and {@code finish} are state labels, e.g. {@code processing}. */
    public void add(String key, String start, String finish, String stimulusId, long timestampMillis) {
        int i = (int) (next++ % keys.length);
        keys[i] = key;
        starts[i] = start;
        finishes[i] = finish;
        stimulusIds[i] = stimulusId;
        timestamps[i] = timestampMillis;
    }

    /** The transitions still held that touch {@code key}, oldest first. */
    public List<TransitionRecord> story(String key) {
        List<TransitionRecord> out = new ArrayList<>();
        long from = Math.max(0, next - keys.length);
        for (long n = from; n < next; n++) {
            int i = (int) (n % keys.length);
            if (keys[i].equals(key)) {
                out.add(new TransitionRecord(keys[i], starts[i], finishes[i], stimulusIds[i], where, timestamps[i]));
            }
        }
        return out;
    }

    /** How many transitions were ever recorded. */
    public long total() {
        return earlier + next;
    }

    /** How many transitions it keeps. */
    public int capacity() {
        return keys.length;
    }

    /** A log of another capacity holding the most recent transitions of this one that fit, and its total. */
    public TransitionLog resized(int capacity) {
        TransitionLog out = new TransitionLog(capacity, where);
        long from = Math.max(0, next - Math.min(keys.length, capacity));
        out.earlier = earlier + from; // the total stays the number of transitions ever recorded
        for (long n = from; n < next; n++) {
            int i = (int) (n % keys.length);
            out.add(keys[i], starts[i], finishes[i], stimulusIds[i], timestamps[i]);
        }
        return out;
    }
}
