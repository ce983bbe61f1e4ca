package org.weft.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * string keys, of values; in task arguments also a {@link Ref}; and a value of a class a
 * {@link ValueType} registered in {@link ValueTypes} takes (exactly that class), written as
 * {@code {"$type": name, "$bytes": bytes}}, a map shape reserved for that, as {@code {"$ref": key}}
 * is for refs. A serializer is consulted only for values that are not JSON-able already: a class
 * implementing {@code List} or {@code Map} travels as a list or map. Anything else is refused with
 * {@link UnencodableValueException}, never sent by Java serialization. A value read back is made
 * of {@code ArrayList}s, {@code LinkedHashMap}s, numbers, strings and {@code byte[]}: a fresh
 * copy the reader owns. Integers read back as {@link Long}, whatever integer type they were
 * written as (as Weft's built-in functions return them); {@code BigInteger} and
 * {@code BigDecimal} are refused (send them as strings, or register a serializer).
 */
public final class Values {

    /** The key of the one-entry map a {@link Ref} is written as. */
    public static final String REF_KEY = "$ref";
    /** The key naming the {@link ValueType} in the two-entry map a value of a registered type is written as. */
    public static final String TYPE_KEY = "$type";
    /** The key of that value's bytes. */
    public static final String BYTES_KEY = "$bytes";

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
        refs.addSerializer(UnreadableValue.class, new StdSerializer<>(UnreadableValue.class) {
            @Override
            public void serialize(UnreadableValue value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                writeTyped(gen, value.typeName(), value.bytes()); // passed on as it came
            }
        });
        refs.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description,
                    JsonSerializer<?> serializer) {
                Class<?> type = description.getBeanClass();
                if (type.getPackage() == Values.class.getPackage() && (type.isRecord() || type.isEnum() || type.isInterface())
                        || jsonAble(type)) {
                    return serializer; // the protocol's own records, and JSON-able types
                }
                return new StdSerializer<Object>(Object.class) {
                    @Override
                    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                        writeRegistered(value, gen);
                    }
                };
            }
        });
        // byte[] as raw bytes, not the 7-bit form that escapes them (14 % larger, and slower)
        SmileFactory smile = SmileFactory.builder().disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT).build();
        return new ObjectMapper(smile).registerModule(refs)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS);
    }

    private static boolean jsonAble(Class<?> type) {
        return type.isPrimitive() || type == String.class || type == Boolean.class
                || type == Integer.class || type == Long.class || type == Double.class || type == Float.class
                || type == Short.class || type == Byte.class || type == byte[].class
                || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
    }

    /** Writes a value that is not JSON-able with its registered type, or refuses it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void writeRegistered(Object value, JsonGenerator gen) throws IOException {
        ValueType type = ValueTypes.forClass(value.getClass());
        if (type == null) {
            check(value); // throws, naming the type
            throw new UnencodableValueException("a " + value.getClass().getName() + " cannot cross processes");
        }
        byte[] bytes;
        try {
            bytes = type.toBytes(value);
        } catch (Exception | LinkageError e) {
            throw new UnencodableValueException("the serializer '" + type.name() + "' cannot write a "
                    + value.getClass().getName() + ": " + e, e);
        }
        if (bytes == null) {
            throw new UnencodableValueException("the serializer '" + type.name() + "' wrote no bytes for a "
                    + value.getClass().getName());
        }
        writeTyped(gen, type.name(), bytes);
    }

    private static void writeTyped(JsonGenerator gen, String name, byte[] bytes) throws IOException {
        gen.writeStartObject();
        gen.writeStringField(TYPE_KEY, name);
        gen.writeFieldName(BYTES_KEY);
        gen.writeBinary(bytes);
        gen.writeEndObject();
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
            if (map.size() == 2 && map.containsKey(TYPE_KEY) && map.containsKey(BYTES_KEY)) {
                throw new UnencodableValueException(path + " is a map of exactly the keys " + TYPE_KEY + " and " + BYTES_KEY
                        + ", which is reserved for values of registered types: add or rename a key");
            }
            return;
        }
        if (value instanceof UnreadableValue || ValueTypes.forClass(value.getClass()) != null) {
            return;
        }
        throw new UnencodableValueException(path + " is a " + value.getClass().getName()
                + ", which cannot cross processes: use JSON-able values (strings, numbers, booleans, lists, maps), byte[], or register a serializer");
    }

    /**
     * The length {@link #encode} gives {@code value}, checked as {@link #encode} checks it; a
     * {@code byte[]} is measured without being copied (a worker sizes every result this way).
     */
    public static long encodedSize(Object value) {
        if (value instanceof byte[] bytes) {
            // Smile's 4-byte header, the raw-binary token, the length as a VInt (6 bits in its last byte, 7 in the others)
            int n = bytes.length;
            int vint = 1;
            for (long rest = n >>> 6; rest > 0; rest >>>= 7) {
                vint++;
            }
            return 4L + 1 + vint + n;
        }
        return encode(value).length;
    }

    /** The bytes of one value (checked first); its length is the value's size on the wire. */
    public static byte[] encode(Object value) {
        if (value instanceof byte[] bytes) {
            return encodeBytes(bytes);
        }
        check(value);
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UnencodableValueException("cannot encode a " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    /** What Smile writes before a {@code byte[]}'s length: its header and the raw-binary token, as the mapper writes them. */
    private static final byte[] BYTES_PREFIX = Arrays.copyOf(encodeWithMapper(new byte[0]), 5);

    /**
     * A {@code byte[]} as the mapper writes it (the Smile header, the raw-binary token, the length,
     * the bytes), built in one array of its exact size: the mapper would copy a large result twice
     * (into its buffers, then out of them).
     */
    private static byte[] encodeBytes(byte[] bytes) {
        long size = encodedSize(bytes);
        if (size > Integer.MAX_VALUE - 16) {
            throw new UnencodableValueException("a byte[] of " + bytes.length + " bytes is too large to encode");
        }
        byte[] out = new byte[(int) size];
        System.arraycopy(BYTES_PREFIX, 0, out, 0, BYTES_PREFIX.length);
        int at = BYTES_PREFIX.length;
        int n = bytes.length;
        int vint = (int) size - at - n;
        // the length as Smile's VInt: 7 bits a byte from the most significant, the last byte's 6 bits marked by 0x80
        out[at + vint - 1] = (byte) (0x80 | (n & 0x3F));
        int rest = n >>> 6;
        for (int i = at + vint - 2; i >= at; i--) {
            out[i] = (byte) (rest & 0x7F);
            rest >>>= 7;
        }
        System.arraycopy(bytes, 0, out, at + vint, n);
        return out;
    }

    private static byte[] encodeWithMapper(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UnencodableValueException("cannot encode a " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The value {@link #encode} wrote, refs and values of registered types included.
     *
     * @throws ProtocolException if the bytes are malformed, or hold a value of a type no
     *         {@link ValueType} here reads (the message names the type)
     */
    public static Object decode(byte[] bytes) throws ProtocolException {
        UnreadableValue[] unreadable = new UnreadableValue[1];
        Object value;
        try {
            value = fromWire(MAPPER.readValue(bytes, Object.class), unreadable);
        } catch (IOException e) {
            throw new ProtocolException("malformed value: " + e.getMessage(), e);
        }
        if (unreadable[0] != null) {
            throw new ProtocolException(unreadable[0].error("a part of the value").getMessage());
        }
        return value;
    }

    /**
     * {@link #decode} of each value of a {@link DataMessage.Data}, by key, except that a value (or
     * part) of a type no {@link ValueType} here reads becomes an {@link UnreadableValue}: a worker
     * fetching a dependency keeps it, and the task given it errs (see {@link #requireReadable}).
     */
    public static java.util.Map<String, Object> decodeAll(java.util.Map<String, byte[]> encoded) throws ProtocolException {
        java.util.Map<String, Object> out = new java.util.HashMap<>(encoded.size() * 2);
        for (java.util.Map.Entry<String, byte[]> e : encoded.entrySet()) {
            try {
                out.put(e.getKey(), refsFromWire(MAPPER.readValue(e.getValue(), Object.class)));
            } catch (IOException x) {
                throw new ProtocolException("malformed value of '" + e.getKey() + "': " + x.getMessage(), x);
            }
        }
        return out;
    }

    /**
     * Throws if {@code value} holds an {@link UnreadableValue}, naming its type and {@code where};
     * costs nothing until this JVM has met one.
     *
     * @throws UnencodableValueException for the first unreadable part
     */
    public static void requireReadable(Object value, String where) {
        if (UnreadableValue.met) {
            findUnreadable(value, where);
        }
    }

    private static void findUnreadable(Object value, String path) {
        if (value instanceof UnreadableValue u) {
            throw u.error(path);
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                findUnreadable(list.get(i), path + "[" + i + "]");
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                findUnreadable(e.getValue(), path + "." + e.getKey());
            }
        }
    }

    /**
     * A fresh copy of {@code value} as a peer would read it: what crossing a process boundary does
     * to it. An immutable value (null, a string, boolean, {@code Long} or {@code Double}) is
     * returned as it is, other integers as {@code Long}, a {@code byte[]} as a clone; anything
     * else is encoded and decoded.
     *
     * @throws UnencodableValueException if it cannot cross processes
     */
    public static Object copy(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        try {
            return decode(encode(value));
        } catch (ProtocolException e) {
            throw new UnencodableValueException("a value did not read back as written: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces, in a value just read, every one-entry map {@code {"$ref": key}} by a {@link Ref} and
     * every map {@code {"$type": name, "$bytes": bytes}} by the value its {@link ValueType} reads
     * (an {@link UnreadableValue} if none here can).
     */
    static Object refsFromWire(Object value) {
        return fromWire(value, null);
    }

    @SuppressWarnings("unchecked")
    private static Object fromWire(Object value, UnreadableValue[] unreadable) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.get(REF_KEY) instanceof String key) {
                return new Ref(key);
            }
            if (map.size() == 2 && map.get(TYPE_KEY) instanceof String name && map.get(BYTES_KEY) instanceof byte[] bytes) {
                Object read = readTyped(name, bytes);
                if (read instanceof UnreadableValue u && unreadable != null && unreadable[0] == null) {
                    unreadable[0] = u;
                }
                return read;
            }
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                Object v = e.getValue();
                if (v instanceof Map || v instanceof List) {
                    e.setValue(fromWire(v, unreadable));
                }
            }
            return map;
        }
        if (value instanceof List<?> list) {
            List<Object> l = (List<Object>) list;
            for (int i = 0; i < l.size(); i++) {
                Object v = l.get(i);
                if (v instanceof Map || v instanceof List) {
                    l.set(i, fromWire(v, unreadable));
                }
            }
        }
        return value;
    }

    private static Object readTyped(String name, byte[] bytes) {
        ValueType<?> type = ValueTypes.forName(name);
        if (type == null) {
            return new UnreadableValue(name, bytes, "no serializer here takes the type '" + name
                    + "' (register one: a Serializer service in a bundle, or ValueTypes.register in plain Java; known here: "
                    + ValueTypes.names() + ")");
        }
        try {
            Object value = type.fromBytes(bytes);
            if (value == null || value.getClass() != type.type()) {
                return new UnreadableValue(name, bytes, "the serializer '" + name + "' read "
                        + (value == null ? "null" : "a " + value.getClass().getName()) + ", not a " + type.type().getName());
            }
            return value;
        } catch (Exception | LinkageError e) {
            return new UnreadableValue(name, bytes, "the serializer '" + name + "' cannot read it: " + e);
        }
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
