package org.weft.scheduler.core.worker;

import java.util.ArrayList;
import java.util.List;

import org.weft.plugin.api.TransitionRecord;

/** A bounded ring buffer of a worker's transitions; the oldest records are overwritten first. */
final class WorkerStory {

    private final TransitionRecord[] ring;
    private int next;
    private int size;

    WorkerStory(int capacity) {
        ring = new TransitionRecord[Math.max(0, capacity)];
    }

    void add(TransitionRecord record) {
        if (ring.length == 0) {
            return;
        }
        ring[next] = record;
        next = next + 1 == ring.length ? 0 : next + 1;
        if (size < ring.length) {
            size++;
        }
    }

    /** The records still held for {@code key}, oldest first. */
    List<TransitionRecord> of(String key) {
        List<TransitionRecord> out = new ArrayList<>();
        int index = next - size;
        if (index < 0) {
            index += ring.length;
        }
        for (int i = 0; i < size; i++) {
            TransitionRecord record = ring[index];
            if (record.key().equals(key)) {
                out.add(record);
            }
            index = index + 1 == ring.length ? 0 : index + 1;
        }
        return out;
    }

    /** {@code key}'s story as text, one transition a line, for error messages. */
    String describe(String key) {
        List<TransitionRecord> records = of(key);
        if (records.isEmpty()) {
            return "  (no transitions recorded for '" + key + "')";
        }
        StringBuilder text = new StringBuilder();
        for (TransitionRecord r : records) {
            text.append("  ").append(r.key()).append(": ").append(r.start()).append(" -> ").append(r.finish())
                    .append(" [stimulus ").append(r.stimulusId()).append(", at ").append(r.timestampMillis())
                    .append("]\n");
        }
        return text.toString();
    }
}
