package org.weft.comm.netty;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one server's links, or of a transport's outgoing links. Thread-safe; updated on the
 * transport's threads, read from any.
 */
public final class TransportStats {

    /** What is counted; {@link #key()} is its name in {@link #snapshot()}. */
    public enum Counter {
        /** Hellos accepted: links established. */
        CONNECTIONS_ACCEPTED("connections.accepted"),
        /** Hellos with another protocol version. */
        REFUSED_VERSION("refused.version"),
        /** Hellos with a wrong token, or none where one is required. */
        REFUSED_TOKEN("refused.token"),
        /** Hellos the acceptor refused. */
        REFUSED_ACCEPTOR("refused.acceptor"),
        /** Connections whose TLS handshake failed (untrusted certificate, not TLS at all). */
        REFUSED_TLS("refused.tls"),
        /** Frames over the size limit. */
        ERRORS_OVERSIZED("errors.oversized"),
        /** Frames that are not a batch of messages. */
        ERRORS_MALFORMED("errors.malformed"),
        /** Messages with an op this side does not know. */
        ERRORS_UNKNOWN_OP("errors.unknownOp"),
        /** Messages the peer's role may not send. */
        ERRORS_ROLE("errors.role"),
        /** Handshakes broken off: no hello (or welcome) first, none in time, one after the handshake. */
        ERRORS_HANDSHAKE("errors.handshake"),
        FRAMES_IN("frames.in"),
        FRAMES_OUT("frames.out"),
        /** Bytes of frames read, length prefixes included. */
        BYTES_IN("bytes.in"),
        /** Bytes of frames written, length prefixes included. */
        BYTES_OUT("bytes.out"),
        /** Links established and not closed yet (a gauge). */
        LINKS_OPEN("links.open"),
        /** Times a link stopped reading from its peer because its own unsent bytes passed the high water mark. */
        READS_PAUSED("reads.paused");

        private final String key;

        Counter(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private final Map<Counter, LongAdder> counters = new EnumMap<>(Counter.class);

    TransportStats() {
        for (Counter c : Counter.values()) {
            counters.put(c, new LongAdder());
        }
    }

    public long get(Counter counter) {
        return counters.get(counter).sum();
    }

    /** Every counter by its key, in declaration order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        counters.forEach((c, v) -> out.put(c.key(), v.sum()));
        return out;
    }

    void add(Counter counter, long delta) {
        counters.get(counter).add(delta);
    }

    void increment(Counter counter) {
        counters.get(counter).increment();
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
