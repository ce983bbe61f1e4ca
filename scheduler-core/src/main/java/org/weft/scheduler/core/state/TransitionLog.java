package org.weft.scheduler.core.state;

import java.util.ArrayList;
import java.util.List;

import org.weft.plugin.api.TransitionRecord;

/**
 * A bounded ring of the most recent transitions: answers "what happened to this key and why".
 * Not thread-safe; owned by one loop.
 */
public final class TransitionLog {

    private final TransitionRecord[] ring;
    private long next;

    public TransitionLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("story capacity must be at least 1, was " + capacity);
        }
        this.ring = new TransitionRecord[capacity];
    }

    public void add(TransitionRecord record) {
        ring[(int) (next++ % ring.length)] = record;
    }

    /** The transitions still held that touch {@code key}, oldest first. */
    public List<TransitionRecord> story(String key) {
        List<TransitionRecord> out = new ArrayList<>();
        long from = Math.max(0, next - ring.length);
        for (long i = from; i < next; i++) {
            TransitionRecord r = ring[(int) (i % ring.length)];
            if (r.key().equals(key)) {
                out.add(r);
            }
        }
        return out;
    }

    /** How many transitions were ever recorded. */
    public long total() {
        return next;
    }
}
