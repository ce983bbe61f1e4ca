package org.weft.worker.state;

import java.util.ArrayList;
import java.util.List;

import org.weft.node.TransitionLog;
import org.weft.plugin.api.TransitionRecord;

/**
 * A bounded ring buffer of a worker's transitions; the oldest records are overwritten first. Kept
 * in a {@link TransitionLog} (parallel arrays, no object per transition).
 */
final class WorkerStory {

    /** Null when the capacity is 0: nothing is kept. */
    private final TransitionLog log;

    WorkerStory(int capacity, String address) {
        log = capacity > 0 ? new TransitionLog(capacity, address) : null;
    }

    /** Records one transition; {@code start} and {@code finish} are state labels. */
    void add(String key, String start, String finish, String stimulusId, long timestampMillis) {
        if (log != null) {
            log.add(key, start, finish, stimulusId, timestampMillis);
        }
    }

    /** The records still held for {@code key}, oldest first. */
    List<TransitionRecord> of(String key) {
        return log == null ? new ArrayList<>() : log.story(key);
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
