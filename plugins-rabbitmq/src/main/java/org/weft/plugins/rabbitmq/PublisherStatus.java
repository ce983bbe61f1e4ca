package org.weft.plugins.rabbitmq;

import java.time.Instant;

/**
 * What {@code rabbitmq:status} and {@code weft:plugins} show, at the time of the query.
 *
 * @param state {@code disabled}, {@code bad config}, {@code connecting}, {@code connected} or
 *              {@code disconnected}
 * @param target the broker URI (without password) and where messages go
 * @param scheduler the scheduler id in the messages
 * @param lastSeq the sequence number of the last transition taken (0: none yet)
 * @param taken transitions taken from the scheduler
 * @param published messages published (republishes included)
 * @param confirmed messages the broker confirmed
 * @param unconfirmed published, waiting for the broker's confirm
 * @param republished messages published again (after a nack or a lost connection)
 * @param bufferedMemory waiting to be published, in memory
 * @param bufferedDisk waiting to be published, on disk
 * @param diskBytes bytes of the disk buffer
 * @param dropped messages dropped beyond the buffer's limits
 * @param connects connections made
 * @param lastError the last error, or {@code null}
 * @param lastErrorAt when it happened, or {@code null}
 */
record PublisherStatus(String state, String target, String scheduler, long lastSeq, long taken, long published, long confirmed,
        long unconfirmed, long republished, long bufferedMemory, long bufferedDisk, long diskBytes, long dropped,
        long connects, String lastError, Instant lastErrorAt) {

    /** One line, for {@code weft:plugins}. */
    String line() {
        return state + " " + target + ": published " + published + ", confirmed " + confirmed + ", unconfirmed "
                + unconfirmed + ", republished " + republished + ", buffered " + bufferedMemory + " memory / "
                + bufferedDisk + " disk, dropped " + dropped
                + (lastError == null ? "" : ", last error: " + lastError);
    }

    /** Several lines, for {@code rabbitmq:status}. */
    String text() {
        StringBuilder b = new StringBuilder();
        row(b, "state", state);
        row(b, "broker", target);
        row(b, "scheduler id", scheduler);
        row(b, "last seq", lastSeq);
        row(b, "taken", taken);
        row(b, "published", published);
        row(b, "confirmed", confirmed);
        row(b, "unconfirmed", unconfirmed);
        row(b, "republished", republished);
        row(b, "buffered", bufferedMemory + " in memory, " + bufferedDisk + " on disk (" + diskBytes + " bytes)");
        row(b, "dropped", dropped);
        row(b, "connections", connects);
        row(b, "last error", lastError == null ? "none" : lastError + " (" + lastErrorAt + ")");
        return b.toString();
    }

    private static void row(StringBuilder b, String name, Object value) {
        b.append(String.format("%-13s %s%n", name + ":", value));
    }
}
