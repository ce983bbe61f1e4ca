package org.weft.plugins.rabbitmq;

import org.weft.plugin.api.TransitionEvent;

/**
 * One message waiting to be published or confirmed. Its id, {@code <scheduler>-<seq>}, is the same
 * on every (re)publish, so a consumer can drop duplicates. The JSON body is written when it is
 * first needed (to publish it, or to keep it on disk), not when the transition is taken: while a
 * graph runs the plugin's thread only numbers and buffers, and the encoding waits for the
 * publisher, which goes at the broker's pace anyway; a message that goes to disk first is written
 * straight into the spill file's buffer ({@link #writeBody}) and never holds a body of its own.
 * One thread at a time uses a message (the {@link Outbox} lock hands it over).
 */
final class OutboundMessage {

    private final String scheduler;
    private final long seq;
    private final boolean sent;
    private TransitionEvent event;
    private long timeMillis;
    private byte[] body;

    /**
     * @param scheduler the scheduler's id
     * @param seq the scheduler's sequence number of the transition
     * @param body the JSON body
     * @param sent whether it was published before (a copy may have reached the broker): published
     *             again, it carries the header {@code weft-republished}
     */
    OutboundMessage(String scheduler, long seq, byte[] body, boolean sent) {
        this.scheduler = scheduler;
        this.seq = seq;
        this.body = body;
        this.sent = sent;
    }

    /** A transition taken at {@code timeMillis}, to be encoded when needed. */
    static OutboundMessage of(TransitionEvent event, long timeMillis, String scheduler, long seq) {
        OutboundMessage m = new OutboundMessage(scheduler, seq, null, false);
        m.event = event;
        m.timeMillis = timeMillis;
        return m;
    }

    String scheduler() {
        return scheduler;
    }

    long seq() {
        return seq;
    }

    boolean sent() {
        return sent;
    }

    byte[] body() {
        if (body == null) {
            body = TransitionJson.encode(event, timeMillis, scheduler, seq);
            event = null;
        }
        return body;
    }

    /** The body, encoded with {@code scratch} (the caller's buffer) if not yet done. */
    byte[] body(JsonBytes scratch) {
        if (body == null) {
            scratch.clear();
            TransitionJson.encode(event, timeMillis, scheduler, seq, scratch);
            body = scratch.toArray();
            event = null;
        }
        return body;
    }

    /** Appends the body to {@code out}, without keeping a copy here. */
    void writeBody(JsonBytes out) {
        if (body != null) {
            out.raw(body);
        } else {
            TransitionJson.encode(event, timeMillis, scheduler, seq, out);
        }
    }

    /** Whether the body is not written yet: the spill file then keeps the transition's fields ({@link #writeFields}). */
    boolean unencoded() {
        return body == null;
    }

    /**
     * Appends the transition's fields to {@code out}, for the spill file: {@code long time} (ms),
     * then key, start, finish, stimulus id and worker, each {@link JsonBytes#utf8 as length and
     * UTF-8}: no JSON is written (that is done when it is published), and about half the bytes.
     */
    void writeFields(JsonBytes out) {
        out.int64(timeMillis);
        out.utf8(event.key()).utf8Cached(event.start().label()).utf8Cached(event.finish().label())
                .utf8(event.stimulusId()).utf8Cached(event.worker());
    }

    OutboundMessage asSent() {
        return sent ? this : new OutboundMessage(scheduler, seq, body(), true);
    }

    String messageId() {
        return scheduler + "-" + seq;
    }
}
