package org.weft.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.ser.impl.UnknownSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;

/**
 * The values that cross a process boundary: task arguments and results. A value is one of
 * {@code null}, {@link String}, {@link Boolean}, {@link Integer}, {@link Long}, {@link Double},
 * {@link Float}, {@link Short}, {@link Byte}, {@code byte[]}, a {@link List} (or other collection, read back as a list) or a {@link Map} with
 * string keys, of values; in task arguments also a {@link Ref}. Anything else is refused with
 * {@link UnencodableValueException}, never sent by Java serialization. A value read back is made
 * of {@code ArrayList}s, {@code LinkedHashMap}s, numbers, strings and {@code byte[]}: a fresh
 * copy the reader owns. Integers read back as {@link Long}, whatever integer type they were
 * written as (as Weft's built-in functions return them); {@code BigInteger} and
 * {@code BigDecimal} are refused (send them as strings, or register a serializer).
 */
public final class Values {

    /** The key of the one-entry map a {@link Ref} is written as. */
    public static final String REF_KEY = "$ref";

    static final ObjectMapper MAPPER = mapper();

    private Values() {
    }

    static ObjectMapper mapper() {
        SimpleModule refs = new SimpleModule("weft-refs");
        refs.addSerializer(Ref.class, new StdSerializer<>(Ref.class) {
            @Override
            public void serialize(Ref ref, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartObject();
                gen.writeStringField(REF_KEY, ref.key());
                gen.writeEndObject();
            }
        });
        refs.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description,
                    JsonSerializer<?> serializer) {
                Class<?> type = description.getBeanClass();
                if (type.getPackage() == Values.class.getPackage()
                        || !(serializer instanceof BeanSerializerBase || serializer instanceof UnknownSerializer)) {
                    return serializer; // the protocol's own records, and JSON-able types
                }
                return new StdSerializer<Object>(Object.class) {
                    @Override
                    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) {
                        check(value); // throws, naming the type
                    }
                };
            }
        });
        // byte[] as raw bytes, not the 7-bit form that escapes them (14 % larger, and slower)
        SmileFactory smile = SmileFactory.builder().disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT).build();
        return new ObjectMapper(smile).registerModule(refs)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS);
    }

    /**
     * Checks that {@code value} can cross a process boundary.
     *
     * @throws UnencodableValueException naming the first part that cannot, and where it is
     */
    public static void check(Object value) {
        check(value, "value");
    }

    private static void check(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double || value instanceof Float || value instanceof Short
                || value instanceof Byte || value instanceof byte[] || value instanceof Ref) {
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), path + "[" + i + "]");
            }
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                check(o, path + "[" + i++ + "]");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new UnencodableValueException(path + " is a map with a key of type "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName()) + "; only string keys cross processes");
                }
                check(e.getValue(), path + "." + k);
            }
            return;
        }
        throw new UnencodableValueException(path + " is a " + value.getClass().getName()
                + ", which cannot cross processes: use JSON-able values (strings, numbers, booleans, lists, maps), byte[], or register a serializer");
    }

    /** The bytes of one value (checked first); its length is the value's size on the wire. */
    public static byte[] encode(Object value) {
        check(value);
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UnencodableValueException("cannot encode a " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    /** The value {@link #encode} wrote, refs included. */
    public static Object decode(byte[] bytes) throws ProtocolException {
        try {
            return refsFromWire(MAPPER.readValue(bytes, Object.class));
        } catch (IOException e) {
            throw new ProtocolException("malformed value: " + e.getMessage(), e);
        }
    }

    /** {@link #decode} of each value of a {@link DataMessage.Data}, by key. */
    public static java.util.Map<String, Object> decodeAll(java.util.Map<String, byte[]> encoded) throws ProtocolException {
        java.util.Map<String, Object> out = new java.util.HashMap<>(encoded.size() * 2);
        for (java.util.Map.Entry<String, byte[]> e : encoded.entrySet()) {
            out.put(e.getKey(), decode(e.getValue()));
        }
        return out;
    }

    /** A fresh copy of {@code value} as a peer would read it: what crossing a process boundary does to it. */
    public static Object copy(Object value) {
        try {
            return decode(encode(value));
        } catch (ProtocolException e) {
            throw new IllegalStateException("a value did not read back as written", e);
        }
    }

    /** Replaces, in a value just read, every one-entry map {@code {"$ref": key}} by a {@link Ref}. */
    @SuppressWarnings("unchecked")
    static Object refsFromWire(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.get(REF_KEY) instanceof String key) {
                return new Ref(key);
            }
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                Object v = e.getValue();
                if (v instanceof Map || v instanceof List) {
                    e.setValue(refsFromWire(v));
                }
            }
            return map;
        }
        if (value instanceof List<?> list) {
            List<Object> l = (List<Object>) list;
            for (int i = 0; i < l.size(); i++) {
                Object v = l.get(i);
                if (v instanceof Map || v instanceof List) {
                    l.set(i, refsFromWire(v));
                }
            }
        }
        return value;
    }

    /** {@link #refsFromWire} for an argument list: a mutable copy is not needed, the decoder made one. */
    static List<Object> argsFromWire(List<Object> args) {
        if (args.isEmpty()) {
            return args;
        }
        List<Object> out = args instanceof ArrayList ? args : new ArrayList<>(args);
        refsFromWire(out);
        return out;
    }
}
