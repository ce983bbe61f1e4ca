package org.weft.plugins.rabbitmq;

import java.nio.charset.StandardCharsets;

import org.weft.plugin.api.TransitionEvent;

/**
 * The message body: one JSON object per transition, with the fields of Dask's RabbitMQ example
 * ({@code key}, {@code start}, {@code finish}) first, then {@code stimulus_id}, {@code worker}
 * (or {@code null}), {@code time} (seconds since the epoch, as Dask's {@code time()}, when the
 * plugin took the event), {@code scheduler} and {@code seq}. Written by hand: one small object,
 * no reflection, no dependency.
 */
final class TransitionJson {

    private TransitionJson() {
    }

    static byte[] encode(TransitionEvent e, long timeMillis, String scheduler, long seq) {
        StringBuilder b = new StringBuilder(160 + e.key().length());
        b.append("{\"key\":");
        string(b, e.key());
        b.append(",\"start\":\"").append(e.start().label());
        b.append("\",\"finish\":\"").append(e.finish().label());
        b.append("\",\"stimulus_id\":");
        string(b, e.stimulusId());
        b.append(",\"worker\":");
        string(b, e.worker());
        b.append(",\"time\":").append(timeMillis / 1000).append('.');
        long millis = timeMillis % 1000;
        b.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10));
        b.append(",\"scheduler\":");
        string(b, scheduler);
        b.append(",\"seq\":").append(seq).append('}');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
