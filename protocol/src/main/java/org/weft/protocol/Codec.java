package org.weft.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;

/**
 * Turns a batch of messages into the bytes of one frame and back: a Smile (binary JSON) array of
 * message objects, each with its {@code op}. Thread-safe; one instance may serve every link.
 * Fields a message does not know are ignored (a newer peer may add some); an op it does not know
 * is a {@link ProtocolException}.
 */
public final class Codec {

    private final ObjectWriter writer;
    private final ObjectReader reader;

    public Codec() {
        ObjectMapper mapper = Values.mapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        JavaType batch = mapper.getTypeFactory().constructCollectionType(List.class, Message.class);
        this.writer = mapper.writerFor(batch);
        this.reader = mapper.readerFor(batch);
    }

    /**
     * The frame for this batch.
     *
     * @throws UnencodableValueException if a value in a message cannot cross processes
     */
    public byte[] encode(List<? extends Message> batch) {
        try {
            return writer.writeValueAsBytes(batch);
        } catch (IOException e) {
            throw new UnencodableValueException("cannot encode a batch of " + batch.size() + " messages: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the frame for this batch to {@code out} (a transport's buffer: no intermediate copy).
     *
     * @throws UnencodableValueException if a value in a message cannot cross processes
     * @throws IOException if {@code out} fails
     */
    public void encode(List<? extends Message> batch, OutputStream out) throws IOException {
        try {
            writer.writeValue(out, batch);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw new UnencodableValueException("cannot encode a batch of " + batch.size() + " messages: " + e.getMessage(), e);
        }
    }

    public List<Message> decode(byte[] frame) throws ProtocolException {
        return decode(frame, 0, frame.length);
    }

    public List<Message> decode(byte[] frame, int offset, int length) throws ProtocolException {
        try {
            return fixRefs(reader.readValue(frame, offset, length));
        } catch (InvalidTypeIdException e) {
            throw new ProtocolException("unknown op '" + e.getTypeId() + "'", e);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException("malformed frame: " + firstLine(e.getMessage()), e);
        }
    }

    /** Reads one frame from {@code in} (the transport has already cut it to the frame's length). */
    public List<Message> decode(InputStream in) throws ProtocolException {
        try {
            return fixRefs(reader.readValue(in));
        } catch (InvalidTypeIdException e) {
            throw new ProtocolException("unknown op '" + e.getTypeId() + "'", e);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException("malformed frame: " + firstLine(e.getMessage()), e);
        }
    }

    private static List<Message> fixRefs(List<Message> batch) throws ProtocolException {
        if (batch == null) {
            throw new ProtocolException("malformed frame: not a list of messages");
        }
        List<Message> out = null;
        for (int i = 0; i < batch.size(); i++) {
            Message m = batch.get(i);
            Message fixed = m;
            if (m == null) {
                throw new ProtocolException("malformed frame: a null message");
            } else if (m instanceof SchedulerMessage.ComputeTask c && !c.args().isEmpty()) {
                fixed = new SchedulerMessage.ComputeTask(c.key(), c.function(), Values.argsFromWire(c.args()), c.whoHas(),
                        c.priority(), c.generation(), c.order(), c.resources(), c.stimulusId(), c.runId());
            } else if (m instanceof ClientMessage.UpdateGraph g) {
                List<ClientMessage.Task> tasks = new ArrayList<>(g.tasks() == null ? 0 : g.tasks().size());
                if (g.tasks() != null) {
                    for (ClientMessage.Task t : g.tasks()) {
                        tasks.add(t.args().isEmpty() ? t : new ClientMessage.Task(t.key(), t.function(),
                                Values.argsFromWire(t.args()), t.retries(), t.priority(), t.workers(), t.looseRestrictions(),
                                t.resources()));
                    }
                }
                fixed = new ClientMessage.UpdateGraph(g.id(), tasks, g.wanted() == null ? List.of() : g.wanted());
            }
            if (fixed != m) {
                if (out == null) {
                    out = new ArrayList<>(batch);
                }
                out.set(i, fixed);
            }
        }
        return out == null ? batch : out;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "(no detail)";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
