package org.weft.pluginhost;

import java.util.ArrayDeque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds, in order, every call meant for a plugin name whose plugin left while its bundle is being
 * updated, until the new revision arrives ({@link #handTo}) or the wait expires. Holds at most
 * {@code capacity} calls; beyond that it drops and counts (with a rate-limited WARN), and the
 * count is charged to the newcomer's figures. Loop thread only.
 */
final class HandoverBuffer<P> implements EventSink<P> {

    private static final Logger LOG = LoggerFactory.getLogger(HandoverBuffer.class);

    private final String label;
    private final long deadlineMillis;
    private final int capacity;
    private final ArrayDeque<HookCall<P>> held = new ArrayDeque<>();
    private final LogLimiter dropLog = new LogLimiter();
    private long dropped;
    private EventSink<P> successor;
    private boolean discarded;

    HandoverBuffer(String label, long deadlineMillis, int capacity) {
        this.label = label;
        this.deadlineMillis = deadlineMillis;
        this.capacity = capacity;
    }

    long deadlineMillis() {
        return deadlineMillis;
    }

    int held() {
        return held.size();
    }

    long droppedCount() {
        return dropped;
    }

    @Override
    public void deliver(HookCall<P> call) {
        if (discarded) {
            return;
        }
        if (successor != null) {
            // a call from a snapshot taken before the newcomer arrived: it belongs to the newcomer
            successor.deliver(call);
        } else if (held.size() < capacity) {
            held.add(call);
        } else {
            dropped++;
            long suppressed = dropLog.admit();
            if (suppressed >= 0) {
                LOG.warn("{} is awaiting its replacement and holds {} events already (the limit): "
                        + "dropped a {} event; {} dropped so far", label, capacity, call.hook(), dropped);
            }
        }
    }

    /** Delivers every held call, in order, to the newcomer, and forwards any later ones to it. */
    void handTo(PluginSlot<P> newcomer) {
        successor = newcomer;
        newcomer.dropped(dropped, "not held while awaiting the replacement (limit " + capacity + ")");
        HookCall<P> call;
        while ((call = held.poll()) != null) {
            newcomer.deliver(call);
        }
    }

    /** Gives up: forgets the held calls. @return how many were discarded */
    int discard() {
        int n = held.size();
        held.clear();
        discarded = true;
        return n;
    }
}
