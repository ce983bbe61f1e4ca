package org.weft.client.remote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.osgi.annotation.versioning.ProviderType;
import org.weft.client.spi.TopicEvent;
import org.weft.protocol.ClientMessage;
import org.weft.protocol.Ref;
import org.weft.protocol.RetireOutcome;
import org.weft.protocol.StoryEntry;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

/**
 * How the client's requests look on the wire, for both ends of the conversation: the method names
 * of {@link ClientMessage.Call}, tasks ({@link TaskSpec} and {@link ClientMessage.Task}, with
 * {@link TaskRef} and {@link Ref} swapped at any depth of the arguments), and the records a reply
 * carries as plain maps. The client's {@link RemoteSchedulerConnection} writes what the scheduler's
 * session reads with these same methods.
 */
@ProviderType
public final class ClientWire {

    /** {@code {keys}} → {@code Map<String, byte[]>}, each value {@link org.weft.protocol.Values#encode}d. */
    public static final String GATHER = "gather";
    /** {@code {keys, force}} → null. */
    public static final String CANCEL = "cancel";
    /**
     * {@code {timeoutMillis}} (optional) → null once the workers under nannies came back; a
     * {@code TimeoutException} reply names those that did not.
     */
    public static final String RESTART = "restart";
    /** {@code {topics, message}} → null. */
    public static final String LOG_EVENT = "log-event";
    /** {@code {topic}} → a list of {@code {topic, message, timestampMillis}}. */
    public static final String EVENTS = "events";
    /** {@code {topic}} → null. */
    public static final String SUBSCRIBE = "subscribe";
    /** {@code {topic}} → null. */
    public static final String UNSUBSCRIBE = "unsubscribe";
    /** {@code {}} → a map. */
    public static final String IDENTITY = "identity";
    /** {@code {function, args}} → the function's result. */
    public static final String RUN_ON_SCHEDULER = "run-on-scheduler";
    /** {@code {keys}} → a list of maps with {@link StoryEntry}'s fields. */
    public static final String STORY = "story";
    /** {@code {workers}} → a list of maps with {@link RetireOutcome}'s fields. */
    public static final String RETIRE_WORKERS = "retire-workers";
    /** {@code {n, target}} (either may be null) → a list of worker addresses. */
    public static final String WORKERS_TO_CLOSE = "workers-to-close";
    /** {@code {targetDurationMillis}} → an int. */
    public static final String ADAPTIVE_TARGET = "adaptive-target";
    /**
     * {@code {name, bytes, wrap}} → {@code {symbolicName, version, sha256, functions, workers}}: a
     * bundle (a plain jar with {@code wrap}) for the scheduler's depot.
     */
    public static final String UPLOAD_BUNDLE = "upload-bundle";

    /** Records to maps and back; a field a newer peer adds is ignored. */
    private static final ObjectMapper RECORDS = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private ClientWire() {
    }

    /** A task as the client sends it: every {@link TaskRef} in its arguments becomes a {@link Ref}. */
    @SuppressWarnings("unchecked")
    public static ClientMessage.Task toWire(TaskSpec spec) {
        return new ClientMessage.Task(spec.key(), spec.function(),
                (List<Object>) replace(spec.args(), v -> v instanceof TaskRef r ? new Ref(r.key()) : v), spec.retries(),
                spec.priority(), List.copyOf(spec.workers()), spec.looseRestrictions(), spec.resources());
    }

    /** A task as the scheduler reads it: every {@link Ref} in its arguments becomes a {@link TaskRef}. */
    @SuppressWarnings("unchecked")
    public static TaskSpec fromWire(ClientMessage.Task task) {
        if (task.key() == null || task.function() == null) {
            throw new IllegalArgumentException("a task without " + (task.key() == null ? "a key" : "a function")
                    + (task.key() == null ? "" : ": '" + task.key() + "'"));
        }
        return new TaskSpec(task.key(), task.function(),
                (List<Object>) replace(task.args(), v -> v instanceof Ref r ? new TaskRef(r.key()) : v), task.retries(),
                task.priority(), new LinkedHashSet<>(task.workers()), task.looseRestrictions(), task.resources());
    }

    /** {@code value} with {@code leaf} applied to everything that is not a list, collection or map, at any depth. */
    private static Object replace(Object value, Function<Object, Object> leaf) {
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(replace(o, leaf));
            }
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>(m.size() * 2);
            m.forEach((k, v) -> out.put(k, replace(v, leaf)));
            return out;
        }
        return leaf.apply(value);
    }

    /** A record (a {@link StoryEntry}, {@link RetireOutcome} or {@link TopicEvent}) as a plain map of its fields. */
    public static Map<String, Object> toMap(Record value) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (java.lang.reflect.RecordComponent c : value.getClass().getRecordComponents()) {
            try {
                out.put(c.getName(), c.getAccessor().invoke(value));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + value.getClass().getSimpleName(), e);
            }
        }
        return out;
    }

    /** Each record of {@code values} as a map, in order. */
    public static List<Map<String, Object>> toMaps(Collection<? extends Record> values) {
        List<Map<String, Object>> out = new ArrayList<>(values.size());
        for (Record r : values) {
            out.add(toMap(r));
        }
        return out;
    }

    /**
     * The records a reply's list of maps stands for.
     *
     * @throws IllegalArgumentException if {@code value} is not a list of maps with the record's fields
     */
    public static <T extends Record> List<T> fromMaps(Object value, Class<T> type) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a list of " + type.getSimpleName() + ", got " + describe(value));
        }
        List<T> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException("expected a " + type.getSimpleName() + " as a map, got " + describe(o));
            }
            out.add(RECORDS.convertValue(o, type));
        }
        return out;
    }

    static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
