package org.weft.plugins.rabbitmq;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The disk part of the buffer: messages in order in files {@code segment-<n>.spill} of one folder,
 * oldest (lowest {@code n}) first. New messages go to the newest segment; {@link #poll} reads the
 * oldest and deletes a segment once read. {@link #prepend} writes a segment in front of all others
 * (what was in memory when the plugin closed). Not thread-safe: {@link Outbox} holds the lock.
 *
 * <p>A record: {@code int length, long seq, byte sent, short length + scheduler (UTF-8), body}; a torn last record (a crash
 * while writing) is skipped.
 */
final class SpillSegments {

    static final int RECORD_OVERHEAD = 4 + 8 + 1 + 2;
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".spill";

    private final Path dir;
    private final long segmentBytes;
    /** Oldest first. */
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private OutputStream writer; // appends to segments.peekLast() while not null
    private DataInputStream reader; // reads segments.peekFirst() while not null
    private long bytes;
    private long messages;
    private final JsonBytes record = new JsonBytes(512);
    private String lastScheduler;
    private byte[] lastSchedulerBytes;

    private static final class Segment {
        final long number;
        final Path file;
        long bytes;
        long messages;

        Segment(long number, Path file) {
            this.number = number;
            this.file = file;
        }
    }

    /** Opens the folder and takes over the segments a previous run left there. */
    SpillSegments(Path dir, long segmentBytes) throws IOException {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        List<Segment> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
                    try {
                        found.add(new Segment(Long.parseLong(name.substring(PREFIX.length(),
                                name.length() - SUFFIX.length())), f));
                    } catch (NumberFormatException e) {
                        // not ours
                    }
                }
            }
        }
        found.sort((a, b) -> Long.compare(a.number, b.number));
        for (Segment s : found) {
            count(s);
            if (s.messages == 0) {
                Files.deleteIfExists(s.file);
            } else {
                segments.addLast(s);
                bytes += s.bytes;
                messages += s.messages;
            }
        }
    }

    private static void count(Segment s) throws IOException {
        try (DataInputStream in = open(s.file)) {
            while (true) {
                int length = in.readInt();
                in.skipNBytes(length);
                s.messages++;
                s.bytes += 4 + length;
            }
        } catch (EOFException e) {
            // end of the segment
        }
    }

    boolean isEmpty() {
        return messages == 0;
    }

    long messages() {
        return messages;
    }

    long bytes() {
        return bytes;
    }

    void append(OutboundMessage m) throws IOException {
        encode(m);
        appendEncoded();
    }

    /** Appends the record {@link #encode} made last. */
    void appendEncoded() throws IOException {
        if (writer == null || segments.peekLast().bytes >= segmentBytes) {
            closeWriter();
            long number = segments.isEmpty() ? 0 : segments.peekLast().number + 1;
            Segment s = new Segment(number, dir.resolve(PREFIX + number + SUFFIX));
            writer = new BufferedOutputStream(Files.newOutputStream(s.file), 1 << 16);
            segments.addLast(s);
        }
        writeRecord(writer, record);
        Segment last = segments.peekLast();
        last.bytes += record.size();
        last.messages++;
        bytes += record.size();
        messages++;
    }

    /**
     * Writes {@code older} (oldest first) as a segment before every other one, together with what
     * is left of a segment being read (which is then deleted).
     */
    void prepend(Collection<OutboundMessage> older) throws IOException {
        if (reader != null) {
            List<OutboundMessage> all = new ArrayList<>(older);
            for (OutboundMessage m; (m = read(reader)) != null; ) {
                all.add(m);
            }
            dropFirstSegment(); // takes its unread messages off the totals
            older = all;
        }
        if (older.isEmpty()) {
            return;
        }
        long number = segments.isEmpty() ? 0 : segments.peekFirst().number - 1;
        Segment s = new Segment(number, dir.resolve(PREFIX + number + SUFFIX));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(s.file), 1 << 16)) {
            for (OutboundMessage m : older) {
                s.bytes += encode(m);
                writeRecord(out, record);
                s.messages++;
            }
        }
        segments.addFirst(s);
        bytes += s.bytes;
        messages += s.messages;
    }

    /**
     * Writes {@code m} as the next record into this object's record buffer (its body straight from
     * the event, no copy kept in the message) and returns the bytes it takes on disk; then
     * {@link #appendEncoded} writes it.
     */
    int encode(OutboundMessage m) {
        record.clear();
        byte[] scheduler = schedulerBytes(m.scheduler());
        record.int32(0); // the length, set below
        record.int64(m.seq());
        record.raw((byte) (m.sent() ? 1 : 0));
        record.int16(scheduler.length);
        record.raw(scheduler);
        m.writeBody(record);
        record.putInt(0, record.size() - 4);
        return record.size();
    }

    /** The scheduler's id in UTF-8: the same id for every message of a run, encoded once. */
    private byte[] schedulerBytes(String scheduler) {
        if (!scheduler.equals(lastScheduler)) {
            lastSchedulerBytes = scheduler.getBytes(StandardCharsets.UTF_8);
            lastScheduler = scheduler;
        }
        return lastSchedulerBytes;
    }

    private static void writeRecord(OutputStream out, JsonBytes record) throws IOException {
        out.write(record.array(), 0, record.size());
    }

    /** The oldest message on disk, removed; {@code null} if none. */
    OutboundMessage poll() throws IOException {
        while (!segments.isEmpty()) {
            Segment first = segments.peekFirst();
            if (reader == null) {
                if (first == segments.peekLast()) {
                    closeWriter(); // never read the file being written: new messages start a new segment
                }
                reader = open(first.file);
            }
            OutboundMessage m = read(reader);
            if (m != null) {
                int size = RECORD_OVERHEAD + schedulerBytes(m.scheduler()).length + m.body().length;
                first.bytes -= size;
                first.messages--;
                bytes -= size;
                messages--;
                return m;
            }
            dropFirstSegment();
        }
        return null;
    }

    /** Deletes the oldest segment with what is left unread in it; returns how many messages that was. */
    long dropOldest() throws IOException {
        if (segments.isEmpty()) {
            return 0;
        }
        if (segments.size() == 1) {
            closeWriter();
        }
        long dropped = segments.peekFirst().messages;
        dropFirstSegment();
        return dropped;
    }

    private void dropFirstSegment() throws IOException {
        Segment first = segments.pollFirst();
        if (reader != null) {
            reader.close();
            reader = null;
        }
        bytes -= first.bytes;
        messages -= first.messages;
        Files.deleteIfExists(first.file);
    }

    private OutboundMessage read(DataInputStream in) throws IOException {
        try {
            int length = in.readInt();
            long seq = in.readLong();
            boolean sent = in.readByte() != 0;
            byte[] scheduler = new byte[in.readUnsignedShort()];
            in.readFully(scheduler);
            byte[] body = new byte[length - 8 - 1 - 2 - scheduler.length];
            in.readFully(body);
            return new OutboundMessage(schedulerId(scheduler), seq, body, sent);
        } catch (EOFException e) {
            return null; // the end, or a torn last record
        }
    }

    /** The id read back: the string of the last one when it is the same (it nearly always is). */
    private String schedulerId(byte[] utf8) {
        if (lastScheduler == null || !java.util.Arrays.equals(utf8, lastSchedulerBytes)) {
            lastScheduler = new String(utf8, StandardCharsets.UTF_8);
            lastSchedulerBytes = utf8;
        }
        return lastScheduler;
    }

    /** Makes everything appended so far durable in the file system (closing the segment written). */
    void flush() throws IOException {
        closeWriter();
    }

    private void closeWriter() throws IOException {
        if (writer != null) {
            OutputStream w = writer;
            writer = null;
            w.close();
        }
    }

    void close() throws IOException {
        closeWriter();
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }
}
