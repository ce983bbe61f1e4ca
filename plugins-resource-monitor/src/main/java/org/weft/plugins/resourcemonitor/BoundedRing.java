package org.weft.plugins.resourcemonitor;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed-capacity ring that keeps the newest elements and counts the ones it overwrote.
 * Thread-safe: one writer (a worker's loop, or the sampler) and readers writing files.
 */
final class BoundedRing<T> {

    private Object[] items;
    private long written;
    /** Dropped before the last {@link #resize}. */
    private long droppedEarlier;

    BoundedRing(int capacity) {
        items = new Object[Math.max(1, capacity)];
    }

    synchronized void add(T item) {
        items[(int) (written % items.length)] = item;
        written++;
    }

    /** The elements held, oldest first. */
    @SuppressWarnings("unchecked")
    synchronized List<T> snapshot() {
        int held = size();
        List<T> out = new ArrayList<>(held);
        for (long i = written - held; i < written; i++) {
            out.add((T) items[(int) (i % items.length)]);
        }
        return out;
    }

    /** How many elements were overwritten because the ring was full. */
    synchronized long dropped() {
        return droppedEarlier + Math.max(0, written - items.length);
    }

    synchronized int size() {
        return (int) Math.min(written, items.length);
    }

    synchronized int capacity() {
        return items.length;
    }

    /** A new capacity keeps the newest elements that fit; the rest count as dropped. */
    synchronized void resize(int capacity) {
        capacity = Math.max(1, capacity);
        if (capacity == items.length) {
            return;
        }
        List<T> kept = snapshot();
        int from = Math.max(0, kept.size() - capacity);
        droppedEarlier = dropped() + from;
        items = new Object[capacity];
        written = 0;
        for (T t : kept.subList(from, kept.size())) {
            add(t);
        }
    }
}
