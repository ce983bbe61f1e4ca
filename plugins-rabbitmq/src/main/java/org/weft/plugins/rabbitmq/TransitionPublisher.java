package org.weft.plugins.rabbitmq;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.TransitionEvent;

/**
 * The publishing machinery without OSGi: takes each transition off the scheduler loop
 * ({@link EventHandOff}), numbers it (per scheduler), encodes it, buffers it ({@link Outbox}) and
 * publishes it ({@link Publisher}). {@link #close} keeps what
 * was not confirmed, with the scheduler id and the next sequence number, in the buffer folder, so
 * the next start (a bundle update, a restart) carries on where this one stopped.
 */
public final class TransitionPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransitionPublisher.class);
    /** Segments of the disk buffer are at most this big (smaller for small disk limits). */
    private static final long SEGMENT_BYTES = 8L << 20;
    private static final String STATE_FILE = "publisher.state";
    /** Events between the scheduler loop and the plugin's thread, at most (a power of two). */
    static final int HAND_OFF_CAPACITY = 1 << 20;

    private final Path bufferDir;
    private final Outbox outbox;
    private final Publisher publisher;
    private final EventHandOff handOff;
    private final String schedulerId;
    private volatile PublisherSettings settings;
    private volatile long taken;
    // the plugin's event thread only (one at a time: a replaced plugin's thread ends before the next starts)
    private volatile long nextSeq;
    private final OutboundMessage[] batch = new OutboundMessage[EventHandOff.BATCH];
    private int pending;
    private long batchMillis;

    TransitionPublisher(PublisherSettings settings, Path bufferDir) throws IOException {
        this.settings = settings;
        this.bufferDir = bufferDir;
        Properties state = readState(bufferDir);
        String generated = state.getProperty("schedulerId", "weft-" + HexFormat.of().toHexDigits(
                ThreadLocalRandom.current().nextInt()));
        this.schedulerId = settings.schedulerId().isEmpty() ? generated : settings.schedulerId();
        this.nextSeq = Long.parseLong(state.getProperty("nextSeq", "1"));
        SpillSegments disk = new SpillSegments(bufferDir, Math.max(64 << 10, Math.min(SEGMENT_BYTES,
                settings.diskBytes() / 4)));
        this.outbox = new Outbox(settings.memoryMessages(), settings.diskBytes(), disk);
        if (!disk.isEmpty()) {
            LOG.info("RabbitMQ publisher: {} message(s) kept from the last run are published first", disk.messages());
        }
        this.publisher = new Publisher(outbox, settings.withSchedulerId(schedulerId));
        publisher.start();
        this.handOff = new EventHandOff(HAND_OFF_CAPACITY, this::take, this::flushTaken);
    }

    /**
     * Starts publishing without OSGi (tests, benchmarks): {@code config} has the keys of
     * {@code etc/org.weft.plugins.rabbitmq.cfg}. Add {@link #plugin()} to a scheduler (synchronous
     * delivery: the plugin hands events to its own thread).
     *
     * @throws IllegalArgumentException for a bad configuration
     */
    public static TransitionPublisher open(Map<String, ?> config, Path bufferDir) throws IOException {
        return new TransitionPublisher(PublisherSettings.from(ConfigMaps.config(config)), bufferDir);
    }

    /** A scheduler plugin feeding this publisher the configured transitions. */
    public SchedulerPlugin plugin() {
        return new TransitionPlugin(this, settings.transitions(), () -> status().line());
    }

    /** Transitions the scheduler handed to the plugin so far (taken or not yet). */
    public long offered() {
        return handOff.offered();
    }

    /** Transitions taken from the scheduler so far. */
    public long taken() {
        return taken;
    }

    /**
     * Whether the plugin's thread has taken (and buffered) every transition the scheduler handed it
     * so far, or counted it as dropped because its hand-off was full.
     */
    public boolean caughtUp() {
        long offered = handOff.offered(); // read first: what is counted taken or dropped after this read is at most that
        return taken + handOff.dropped() >= offered;
    }

    /** Messages the broker confirmed so far. */
    public long confirmed() {
        return publisher.confirmed();
    }

    /** The status, as {@code rabbitmq:status} shows it. */
    public String statusText() {
        return status().text();
    }

    /** Reads and removes the state a clean close left; a crash leaves none, and a new id is made. */
    private static Properties readState(Path dir) throws IOException {
        Properties p = new Properties();
        Path file = dir.resolve(STATE_FILE);
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            Files.delete(file);
        }
        return p;
    }

    /** On the scheduler loop: hands the event to the plugin's thread; never blocks. */
    void offer(TransitionEvent event) {
        handOff.offer(event);
    }

    /**
     * On the plugin's thread: numbers the event and keeps it for {@link #flushTaken}, which buffers
     * the batch; the JSON is written later, when published or spilled. Never waits for the broker.
     */
    void take(TransitionEvent event) {
        if (pending == batch.length) {
            flushTaken();
        }
        if (pending == 0) {
            batchMillis = System.currentTimeMillis(); // the batch's events were taken within a poll
        }
        batch[pending++] = OutboundMessage.of(event, batchMillis, schedulerId, nextSeq++);
    }

    /** On the plugin's thread: hands the numbered events to the buffer under one lock. */
    void flushTaken() {
        if (pending > 0) {
            outbox.addAll(batch, pending);
            java.util.Arrays.fill(batch, 0, pending, null);
            taken += pending;
            pending = 0;
        }
    }

    void update(PublisherSettings next) {
        settings = next;
        outbox.setLimits(next.memoryMessages(), next.diskBytes());
        publisher.update(next.withSchedulerId(schedulerId));
    }

    PublisherSettings settings() {
        return settings;
    }

    String schedulerId() {
        return schedulerId;
    }

    PublisherStatus status() {
        PublisherSettings s = settings;
        String state = publisher.connected() ? "connected" : publisher.connects() == 0 ? "connecting" : "disconnected";
        return new PublisherStatus(state, s.safeUri() + " (" + RabbitConnector.destination(s) + ")", schedulerId,
                nextSeq - 1, taken, publisher.published(), publisher.confirmed(), publisher.unconfirmed(),
                publisher.republished(), outbox.memoryMessages(), outbox.diskMessages(), outbox.diskBytes(),
                outbox.dropped() + handOff.dropped(), publisher.connects(),
                outbox.diskError() != null ? outbox.diskError() : publisher.lastError(), publisher.lastErrorAt());
    }

    /** Publishes what it can within {@code closeTimeoutMillis}, keeps the rest on disk, saves the numbering. */
    @Override
    public void close() {
        handOff.stop();
        publisher.stop();
        Properties p = new Properties();
        p.setProperty("schedulerId", schedulerId);
        p.setProperty("nextSeq", Long.toString(nextSeq));
        try (Writer w = Files.newBufferedWriter(bufferDir.resolve(STATE_FILE), StandardCharsets.UTF_8)) {
            p.store(w, "Weft RabbitMQ publisher: the numbering to carry on with");
        } catch (IOException e) {
            LOG.warn("RabbitMQ publisher could not save its state in {}: {}", bufferDir, e.toString());
        }
    }
}
