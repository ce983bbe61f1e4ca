package org.weft.plugins.rabbitmq;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * The publisher thread {@code weft-rabbitmq-publisher}: takes messages from the {@link Outbox} and
 * publishes them with publisher confirms, at most {@code confirmWindow} unconfirmed at a time.
 *
 * <p>It owns the connection: connects (retrying with doubling back-off), and when the connection or
 * channel is lost, or the settings change, moves every unconfirmed message to a retry list that is
 * published, in sequence order, before anything new. A nacked message is published again. The
 * confirm callbacks run on the client's I/O thread and only move messages between maps (the
 * client's own pitfall: never publish from them). Automatic recovery is off: a recovered channel
 * restarts its delivery tags, and a failed first connect is not retried by the client.
 */
final class Publisher {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final String JSON = "application/json";
    private static final int PERSISTENT = 2; // delivery mode

    private final Outbox outbox;
    private final Thread thread;
    private final Object backoffLock = new Object();
    /** Waited on while the confirm window is full; a confirm, a lost connection or a stop notifies it. */
    private final Object windowLock = new Object();
    /** {@code outstanding.size()}, which is not constant-time for a skip list. */
    private final AtomicInteger unconfirmed = new AtomicInteger();

    private volatile PublisherSettings settings;
    private volatile boolean closing;
    private volatile long closeDeadline;
    private volatile boolean connectionLost;
    private volatile boolean connected;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    // publisher thread only
    private PublisherSettings connectedWith;
    private RabbitConnector.Link link;
    private final TreeMap<Long, OutboundMessage> retry = new TreeMap<>();
    private final JsonBytes scratch = new JsonBytes(512);

    /** By delivery tag; written by the publisher thread, cleared by the confirm callbacks. */
    private final ConcurrentSkipListMap<Long, OutboundMessage> outstanding = new ConcurrentSkipListMap<>();
    private final ConcurrentLinkedQueue<OutboundMessage> nacked = new ConcurrentLinkedQueue<>();

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong republished = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();

    Publisher(Outbox outbox, PublisherSettings settings) {
        this.outbox = outbox;
        this.settings = settings;
        this.thread = new Thread(this::run, "weft-rabbitmq-publisher");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Live settings: a change of broker, credentials or destination reconnects; nothing is lost. */
    void update(PublisherSettings next) {
        settings = next;
        wakeUp();
    }

    /**
     * Publishes what is left for up to {@code closeTimeoutMillis}, then stops and keeps every
     * message not yet confirmed in the outbox's disk buffer for the next start.
     */
    void stop() {
        closeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.closeTimeoutMillis());
        closing = true;
        wakeUp();
        try {
            thread.join(settings.closeTimeoutMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("RabbitMQ publisher thread did not stop in time");
        }
    }

    private void wakeUp() {
        outbox.wake();
        synchronized (backoffLock) {
            backoffLock.notifyAll();
        }
        synchronized (windowLock) {
            windowLock.notifyAll();
        }
    }

    /** Waits (bounded) until fewer than {@code window} messages await a confirm. */
    private void awaitWindow(int window) throws InterruptedException {
        synchronized (windowLock) {
            if (unconfirmed.get() >= window && !connectionLost && !closing) {
                windowLock.wait(TimeUnit.NANOSECONDS.toMillis(IDLE_WAIT_NANOS));
            }
        }
    }

    private void run() {
        long backoff = settings.reconnectInitialMillis();
        try {
            while (true) {
                if (closing && (done() || System.nanoTime() - closeDeadline > 0)) {
                    return;
                }
                PublisherSettings s = settings;
                if (link == null || connectionLost || !s.sameConnection(connectedWith)) {
                    disconnect();
                    try {
                        connect(s);
                        backoff = s.reconnectInitialMillis();
                    } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
                        error(RabbitConnector.describe(e, s), e);
                        if (!closing) {
                            backOff(backoff);
                        }
                        backoff = Math.min(backoff * 2, s.reconnectMaxMillis());
                        continue;
                    }
                }
                moveNacked();
                if (unconfirmed.get() >= s.confirmWindow()) {
                    awaitWindow(s.confirmWindow());
                    continue;
                }
                Map.Entry<Long, OutboundMessage> again = retry.pollFirstEntry();
                OutboundMessage m = again != null ? again.getValue() : outbox.poll();
                if (m == null) {
                    outbox.awaitWork(IDLE_WAIT_NANOS);
                    continue;
                }
                try {
                    publish(m, again != null);
                } catch (IOException | RuntimeException e) {
                    retry.put(m.seq(), m.asSent());
                    connectionLost = true;
                    error("publish failed: " + RabbitConnector.describe(e, s), null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            disconnect();
            List<OutboundMessage> left = new ArrayList<>(retry.values());
            retry.clear();
            outbox.persist(left);
            if (!left.isEmpty()) {
                LOG.info("RabbitMQ publisher stopped with {} unconfirmed message(s), kept for the next start", left.size());
            }
        }
    }

    private boolean done() {
        return retry.isEmpty() && outstanding.isEmpty() && nacked.isEmpty() && outbox.memoryMessages() == 0
                && outbox.diskMessages() == 0;
    }

    private void connect(PublisherSettings s) throws IOException, java.util.concurrent.TimeoutException {
        connectionLost = false;
        link = RabbitConnector.open(s, this::acked, this::nacked, this::lost);
        connectedWith = s;
        connected = true;
        connects.incrementAndGet();
        LOG.info("RabbitMQ publisher connected to {} ({})", s.safeUri(), RabbitConnector.destination(s));
    }

    private void disconnect() {
        connected = false;
        if (link != null) {
            RabbitConnector.Link l = link;
            link = null;
            l.close();
        }
        // every unconfirmed message is published again on the next connection, in order
        for (OutboundMessage m : outstanding.values()) {
            retry.put(m.seq(), m.asSent());
        }
        outstanding.clear();
        unconfirmed.set(0);
        moveNacked();
    }

    private void moveNacked() {
        for (OutboundMessage m; (m = nacked.poll()) != null; ) {
            retry.put(m.seq(), m.asSent());
        }
    }

    private void publish(OutboundMessage m, boolean fromRetry) throws IOException {
        boolean again = fromRetry || m.sent();
        Channel channel = link.channel();
        byte[] body = m.body(scratch);
        long tag = channel.getNextPublishSeqNo();
        outstanding.put(tag, m);
        unconfirmed.incrementAndGet();
        // a first publish has no headers: a table costs the client, the broker and every consumer
        // a parse per message, and the seq is in the body and the message id already
        AMQP.BasicProperties props = new AMQP.BasicProperties(JSON, null,
                again ? Map.of("weft-seq", m.seq(), "weft-republished", true) : null, PERSISTENT, null, null, null,
                null, m.messageId(), null, null, null, null, null);
        channel.basicPublish(connectedWith.exchange(), connectedWith.routingKey(), props, body);
        published.incrementAndGet();
        if (again) {
            republished.incrementAndGet();
        }
    }

    // ------------------------------------------------ client I/O thread

    private void acked(long tag, boolean multiple) {
        confirmed.addAndGet(remove(tag, multiple).size());
    }

    private void nacked(long tag, boolean multiple) {
        nacked.addAll(remove(tag, multiple));
        error("the broker refused (nack) a message; it is published again", null);
    }

    /** Takes the confirmed (or refused) messages out of the window and wakes the publisher if it waits for room. */
    private List<OutboundMessage> remove(long tag, boolean multiple) {
        List<OutboundMessage> out;
        if (!multiple) {
            OutboundMessage m = outstanding.remove(tag);
            out = m == null ? List.of() : List.of(m);
        } else {
            ConcurrentNavigableMap<Long, OutboundMessage> head = outstanding.headMap(tag, true);
            out = new ArrayList<>(head.values());
            head.clear();
        }
        if (!out.isEmpty()) {
            unconfirmed.addAndGet(-out.size());
            synchronized (windowLock) {
                windowLock.notifyAll();
            }
        }
        return out;
    }

    private void lost(ShutdownSignalException cause) {
        if (!cause.isInitiatedByApplication()) {
            connectionLost = true;
            connected = false;
            error("connection lost: " + RabbitConnector.describe(cause, settings), null);
            wakeUp();
        }
    }

    // ------------------------------------------------

    private void backOff(long millis) throws InterruptedException {
        synchronized (backoffLock) {
            backoffLock.wait(millis);
        }
    }

    private void error(String text, Throwable cause) {
        boolean repeat = text.equals(lastError);
        lastError = text;
        lastErrorAt = Instant.now();
        if (!repeat) {
            LOG.warn("RabbitMQ publisher: {}", text);
        } else {
            LOG.debug("RabbitMQ publisher: {}", text, cause);
        }
    }

    boolean connected() {
        return connected;
    }

    long published() {
        return published.get();
    }

    long confirmed() {
        return confirmed.get();
    }

    long republished() {
        return republished.get();
    }

    long unconfirmed() {
        return unconfirmed.get();
    }

    long connects() {
        return connects.get();
    }

    String lastError() {
        return lastError;
    }

    Instant lastErrorAt() {
        return lastErrorAt;
    }
}
