package org.weft.plugins.rabbitmq;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded buffer between the plugin's event thread (which {@link #add adds}, never waiting for
 * the broker) and the publisher thread (which {@link #poll polls}). Messages stay in order: up to
 * {@code memoryLimit} in memory, then on disk ({@link SpillSegments}) up to {@code diskLimit}
 * bytes; while anything is on disk, new messages go to disk behind it. Beyond the limits the
 * oldest messages are dropped and counted, never silently.
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<OutboundMessage> memory = new ArrayDeque<>();
    private final SpillSegments disk; // null: memory only
    private int memoryLimit;
    private long diskLimit;
    private boolean waiting;
    private boolean woken;
    private long dropped;
    private volatile String diskError;

    Outbox(int memoryLimit, long diskLimit, SpillSegments disk) {
        this.memoryLimit = Math.max(1, memoryLimit);
        this.diskLimit = diskLimit;
        this.disk = disk;
    }

    void setLimits(int memoryLimit, long diskLimit) {
        lock.lock();
        try {
            this.memoryLimit = Math.max(1, memoryLimit);
            this.diskLimit = diskLimit;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a message; drops (and counts) the oldest beyond the limits. */
    void add(OutboundMessage m) {
        lock.lock();
        try {
            addLocked(m);
            signalWaiting();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes {@code count} messages, in order, under one lock (the taker's batch): the publisher
     * waits for the lock once per batch, not once per message.
     */
    void addAll(OutboundMessage[] batch, int count) {
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                addLocked(batch[i]);
            }
            signalWaiting();
        } finally {
            lock.unlock();
        }
    }

    private void addLocked(OutboundMessage m) {
        boolean toDisk = disk != null && diskLimit > 0 && (!disk.isEmpty() || memory.size() >= memoryLimit);
        if (toDisk) {
            spill(m);
        } else {
            if (memory.size() >= memoryLimit) {
                memory.pollFirst();
                dropped(1, "the memory buffer is full (buffer.memoryMessages = " + memoryLimit
                        + ", no disk buffer)");
            }
            memory.addLast(m);
        }
    }

    private void signalWaiting() {
        if (waiting) {
            work.signal();
        }
    }

    private void spill(OutboundMessage m) {
        try {
            int size = disk.encode(m);
            while (!disk.isEmpty() && disk.bytes() + size > diskLimit) {
                long lost = disk.dropOldest();
                dropped(lost, "the disk buffer is full (buffer.diskBytes = " + diskLimit + ")");
                if (lost == 0) {
                    break;
                }
            }
            disk.appendEncoded();
            if (diskError != null) {
                diskError = null;
            }
        } catch (IOException e) {
            diskError = "disk buffer: " + e;
            dropped(1, "the disk buffer failed: " + e);
        }
    }

    private void dropped(long count, String why) {
        if (count <= 0) {
            return;
        }
        boolean first = dropped == 0;
        dropped += count;
        if (first || Long.bitCount(dropped) == 1) { // the first drop, then at powers of two
            LOG.warn("RabbitMQ publisher dropped {} message(s), the oldest: {}; {} dropped in all", count, why, dropped);
        }
    }

    /** The oldest message, removed; {@code null} if none. */
    OutboundMessage poll() {
        lock.lock();
        try {
            OutboundMessage m = memory.pollFirst();
            if (m == null && disk != null && !disk.isEmpty()) {
                try {
                    m = disk.poll();
                } catch (IOException e) {
                    diskError = "disk buffer: " + e;
                    dropped(disk.dropOldest(), "a disk segment could not be read: " + e);
                }
            }
            return m;
        } catch (IOException e) {
            diskError = "disk buffer: " + e;
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a message is added, {@link #wake} is called or the time passed. */
    void awaitWork(long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (woken || !memory.isEmpty() || (disk != null && !disk.isEmpty())) {
                woken = false;
                return;
            }
            waiting = true;
            work.awaitNanos(nanos);
        } finally {
            waiting = false;
            woken = false;
            lock.unlock();
        }
    }

    /** Ends a current or the next {@link #awaitWork}. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * On close: writes {@code unconfirmed} and everything in memory, in order, to disk in front of
     * what is there, so the next start publishes them first. With no disk buffer they are counted
     * as dropped.
     */
    void persist(List<OutboundMessage> unconfirmed) {
        lock.lock();
        try {
            List<OutboundMessage> all = new ArrayList<>(unconfirmed.size() + memory.size());
            all.addAll(unconfirmed);
            all.addAll(memory);
            memory.clear();
            if (disk == null) {
                dropped(all.size(), "closed with no disk buffer to keep them");
                return;
            }
            try {
                disk.prepend(all);
                disk.close();
            } catch (IOException e) {
                diskError = "disk buffer: " + e;
                dropped(all.size(), "could not be kept on disk at close: " + e);
            }
        } finally {
            lock.unlock();
        }
    }

    long memoryMessages() {
        lock.lock();
        try {
            return memory.size();
        } finally {
            lock.unlock();
        }
    }

    long diskMessages() {
        lock.lock();
        try {
            return disk == null ? 0 : disk.messages();
        } finally {
            lock.unlock();
        }
    }

    long diskBytes() {
        lock.lock();
        try {
            return disk == null ? 0 : disk.bytes();
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    String diskError() {
        return diskError;
    }
}
