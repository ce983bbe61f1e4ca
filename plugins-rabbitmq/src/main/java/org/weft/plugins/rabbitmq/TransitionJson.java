package org.weft.plugins.rabbitmq;

import java.nio.charset.StandardCharsets;

import org.weft.plugin.api.TransitionEvent;

/**
 * The message body: one JSON object per transition, with the fields of Dask's RabbitMQ example
 * ({@code key}, {@code start}, {@code finish}) first, then {@code stimulus_id}, {@code worker}
 * (or {@code null}), {@code time} (seconds since the epoch, as Dask's {@code time()}, when the
 * plugin took the event), {@code scheduler} and {@code seq}. Written by hand, straight into
 * bytes ({@link JsonBytes}): one small object, no reflection, no dependency, no garbage but the body.
 */
final class TransitionJson {

    private static final byte[] KEY = bytes("{\"key\":");
    private static final byte[] START = bytes(",\"start\":\"");
    private static final byte[] FINISH = bytes("\",\"finish\":\"");
    private static final byte[] STIMULUS = bytes("\",\"stimulus_id\":");
    private static final byte[] WORKER = bytes(",\"worker\":");
    private static final byte[] TIME = bytes(",\"time\":");
    private static final byte[] SCHEDULER = bytes(",\"scheduler\":");
    private static final byte[] SEQ = bytes(",\"seq\":");

    private TransitionJson() {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encode(TransitionEvent e, long timeMillis, String scheduler, long seq) {
        JsonBytes out = new JsonBytes(160 + e.key().length());
        encode(e, timeMillis, scheduler, seq, out);
        return out.toArray();
    }

    /** Appends the body to {@code out}. */
    static void encode(TransitionEvent e, long timeMillis, String scheduler, long seq, JsonBytes out) {
        encode(e.key(), e.start().label(), e.finish().label(), e.stimulusId(), e.worker(), timeMillis, scheduler, seq, out);
    }

    /** Appends the body of a transition given by its fields ({@code start}, {@code finish}: state labels) to {@code out}. */
    static void encode(String key, String start, String finish, String stimulusId, String worker, long timeMillis,
            String scheduler, long seq, JsonBytes out) {
        out.raw(KEY).string(key);
        out.raw(START).ascii(start);
        out.raw(FINISH).ascii(finish);
        out.raw(STIMULUS).string(stimulusId);
        out.raw(WORKER).string(worker);
        out.raw(TIME).number(timeMillis / 1000).raw((byte) '.');
        long millis = timeMillis % 1000;
        out.raw((byte) ('0' + millis / 100)).raw((byte) ('0' + millis / 10 % 10)).raw((byte) ('0' + millis % 10));
        out.raw(SCHEDULER).string(scheduler);
        out.raw(SEQ).number(seq).raw((byte) '}');
    }
}
