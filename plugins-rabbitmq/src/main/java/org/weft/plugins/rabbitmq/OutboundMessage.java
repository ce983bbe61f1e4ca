package org.weft.plugins.rabbitmq;

/**
 * One message waiting to be published or confirmed. Its id, {@code <scheduler>-<seq>}, is the same
 * on every (re)publish, so a consumer can drop duplicates.
 *
 * @param scheduler the scheduler's id
 * @param seq the scheduler's sequence number of the transition
 * @param body the JSON body
 * @param sent whether it was published before (a copy may have reached the broker): published
 *             again, it carries the header {@code weft-republished}
 */
record OutboundMessage(String scheduler, long seq, byte[] body, boolean sent) {

    OutboundMessage asSent() {
        return sent ? this : new OutboundMessage(scheduler, seq, body, true);
    }

    String messageId() {
        return scheduler + "-" + seq;
    }

    /** Bytes this message takes in a spill file. */
    int spillSize() {
        return SpillSegments.RECORD_OVERHEAD + scheduler.length() * 3 + body.length;
    }
}
