package org.weft.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How a plugin receives events: synchronously on the loop thread, or asynchronously through a
 * bounded queue with a declared {@link Overflow} policy.
 *
 * @param async whether delivery is asynchronous
 * @param queueCapacity the queue's capacity (asynchronous only)
 * @param overflow what happens when the queue is full (asynchronous only)
 * @since 1.0
 */
@ProviderType
public record Delivery(boolean async, int queueCapacity, Overflow overflow) {

    /** The default capacity of an asynchronous plugin's queue. */
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;

    /** Synchronous delivery on the loop thread (the default). */
    public static final Delivery SYNC = new Delivery(false, 0, Overflow.BLOCK);

    public Delivery {
        if (async && queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
        }
        if (overflow == null) {
            throw new IllegalArgumentException("overflow policy must be given");
        }
    }

    /** Asynchronous delivery through a queue of the given capacity. */
    public static Delivery async(int queueCapacity, Overflow overflow) {
        return new Delivery(true, queueCapacity, overflow);
    }

    @Override
    public String toString() {
        return async ? "async(" + queueCapacity + "," + overflow + ")" : "sync";
    }
}
