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
 * <p>A record: {@code int length, long seq, byte flags, short length + scheduler (UTF-8), payload}; a torn last
 * record (a crash while writing) is skipped. The flags: {@value #SENT} published before, {@value #FIELDS} the payload is
 * the transition's fields ({@link OutboundMessage#writeFields}), whose JSON body is written when the record is read
 * back; without it the payload is the JSON body (a message published before, and every record of
 * the {@code .spill} files of earlier versions, which are read as ever). Segments are written as
 * {@code .spill2}, which an earlier version does not read (it leaves them on disk, so a downgrade
 * loses nothing: they are published after the next upgrade).
 */
final class SpillSegments {

    static final int RECORD_OVERHEAD = 4 + 8 + 1 + 2;
    static final int SENT = 1;
    static final int FIELDS = 2;
    private static final String PREFIX = "segment-";
    /** The suffix of the segments written; the first version's {@code .spill} ones (JSON bodies only) are read too. */
    private static final String SUFFIX = ".spill2";
    private static final String OLD_SUFFIX = ".spill";

    private final Path dir;
    private final long segmentBytes;
    /** Oldest first. */
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private OutputStream writer; // appends to segments.peekLast() while not null
    private DataInputStream reader; // reads segments.peekFirst() while not null
    private long bytes;
    private long messages;
    private final JsonBytes record = new JsonBytes(512);
    private final JsonBytes body = new JsonBytes(512); // a read record's JSON body, before its copy
    private int lastRecordBytes; // the size of the record read last
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

    /**
     * A file written through a 64 KiB buffer, without the lock {@code BufferedOutputStream} takes
     * on every write (one thread writes a segment; that lock was a compare-and-swap per record).
     */
    private static final class SegmentWriter extends OutputStream {
        private final OutputStream file;
        private final byte[] buffer = new byte[1 << 16];
        private int size;

        SegmentWriter(Path path) throws IOException {
            this.file = Files.newOutputStream(path);
        }

        @Override
        public void write(int b) throws IOException {
            if (size == buffer.length) {
                flushBuffer();
            }
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > buffer.length - size) {
                flushBuffer();
                if (len > buffer.length) {
                    file.write(b, off, len);
                    return;
                }
            }
            System.arraycopy(b, off, buffer, size, len);
            size += len;
        }

        private void flushBuffer() throws IOException {
            if (size > 0) {
                file.write(buffer, 0, size);
                size = 0;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                flushBuffer();
            } finally {
                file.close();
            }
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
                String suffix = name.endsWith(SUFFIX) ? SUFFIX : name.endsWith(OLD_SUFFIX) ? OLD_SUFFIX : null;
                if (name.startsWith(PREFIX) && suffix != null) {
                    try {
                        found.add(new Segment(Long.parseLong(name.substring(PREFIX.length(),
                                name.length() - suffix.length())), f));
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
            writer = new SegmentWriter(s.file);
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
     * Writes {@code m} as the next record into this object's record buffer (the transition's fields
     * if its body is not written yet, no copy kept in the message) and returns the bytes it takes on disk; then
     * {@link #appendEncoded} writes it.
     */
    int encode(OutboundMessage m) {
        record.clear();
        byte[] scheduler = schedulerBytes(m.scheduler());
        record.int32(0); // the length, set below
        record.int64(m.seq());
        boolean fields = m.unencoded();
        record.raw((byte) ((m.sent() ? SENT : 0) | (fields ? FIELDS : 0)));
        record.int16(scheduler.length);
        record.raw(scheduler);
        if (fields) {
            m.writeFields(record);
        } else {
            m.writeBody(record);
        }
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
                int size = lastRecordBytes;
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
            int flags = in.readByte();
            byte[] scheduler = new byte[in.readUnsignedShort()];
            in.readFully(scheduler);
            byte[] payload = new byte[length - 8 - 1 - 2 - scheduler.length];
            in.readFully(payload);
            lastRecordBytes = 4 + length;
            String schedulerId = schedulerId(scheduler);
            byte[] json = (flags & FIELDS) != 0 ? jsonOfFields(payload, schedulerId, seq) : payload;
            return new OutboundMessage(schedulerId, seq, json, (flags & SENT) != 0);
        } catch (EOFException e) {
            return null; // the end, or a torn last record
        }
    }

    /** The JSON body of a record that holds the transition's fields ({@link OutboundMessage#writeFields}). */
    private byte[] jsonOfFields(byte[] payload, String scheduler, long seq) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(payload);
        long timeMillis = in.getLong();
        String key = utf8(in);
        String start = utf8(in);
        String finish = utf8(in);
        String stimulusId = utf8(in);
        String worker = utf8(in);
        body.clear();
        TransitionJson.encode(key, start, finish, stimulusId, worker, timeMillis, scheduler, seq, body);
        return body.toArray();
    }

    private static String utf8(java.nio.ByteBuffer in) {
        int n = in.getInt();
        if (n < 0) {
            return null;
        }
        String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
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
