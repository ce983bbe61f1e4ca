package org.weft.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Values of user types through a registered {@link ValueType}: round trips, unknown types, the reserved shape. */
class ValueTypesTest {

    /** A type that is not JSON-able (Jackson itself refuses it without a module). */
    static final ValueType<Duration> POINT = ValueType.of("test.Point", Duration.class,
            d -> d.toString().getBytes(StandardCharsets.UTF_8), b -> Duration.parse(new String(b, StandardCharsets.UTF_8)));

    private final Codec codec = new Codec();

    @AfterEach
    void unregister() {
        ValueTypes.unregister(POINT);
    }

    @Test
    void aRegisteredTypeRoundTripsNestedAndAsACopy() throws Exception {
        ValueTypes.register(POINT);
        Duration p = Duration.ofSeconds(3, 4);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("p", p);
        value.put("ps", List.of(Duration.ofSeconds(1, 2), "s"));
        Values.check(value);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Values.decode(Values.encode(value));
        assertEquals(p, back.get("p"));
        assertNotSame(p, back.get("p"), "a fresh object the reader owns");
        assertEquals(List.of(Duration.ofSeconds(1, 2), "s"), back.get("ps"));
        assertEquals(p, Values.copy(p));
        assertNotSame(p, Values.copy(p));
        // in task arguments, through the codec
        SchedulerMessage.ComputeTask c = (SchedulerMessage.ComputeTask) codec.decode(codec.encode(List.of(
                new SchedulerMessage.ComputeTask("b", "f", List.of(p, new Ref("a")), Map.of(), 0, 0, 0, Map.of(), "s")))).get(0);
        assertEquals(List.of(p, new Ref("a")), c.args());
        // what travels: the reserved map, with the bytes raw
        Object raw = Values.MAPPER.readValue(Values.encode(p), Object.class);
        assertEquals(Map.of(Values.TYPE_KEY, "test.Point"), Map.of(Values.TYPE_KEY, ((Map<?, ?>) raw).get(Values.TYPE_KEY)));
        assertArrayEquals(p.toString().getBytes(StandardCharsets.UTF_8), (byte[]) ((Map<?, ?>) raw).get(Values.BYTES_KEY));
    }

    @Test
    void withoutASerializerAUserTypeIsRefusedNamingTypeAndPlace() {
        UnencodableValueException e = assertThrows(UnencodableValueException.class,
                () -> Values.encode(List.of(1, Duration.ofSeconds(1, 2))));
        assertTrue(e.getMessage().contains("value[1]") && e.getMessage().contains(Duration.class.getName()), e.getMessage());
        assertThrows(UnencodableValueException.class,
                () -> codec.encode(List.of(new SchedulerMessage.TopicEvent("t", Duration.ofSeconds(1, 2), 1))));
    }

    @Test
    void aTypeNoSerializerHereKnowsFailsADecodeNamingTheTypeButPassesThroughArguments() throws Exception {
        ValueTypes.register(POINT);
        byte[] bytes = Values.encode(List.of("a", Duration.ofSeconds(5, 6)));
        SchedulerMessage.ComputeTask sent = new SchedulerMessage.ComputeTask("b", "f", List.of(Duration.ofSeconds(5, 6)), Map.of(),
                0, 0, 0, Map.of(), "s");
        byte[] frame = codec.encode(List.of(sent));
        ValueTypes.unregister(POINT);

        ProtocolException e = assertThrows(ProtocolException.class, () -> Values.decode(bytes));
        assertTrue(e.getMessage().contains("'test.Point'") && e.getMessage().contains("no serializer"), e.getMessage());

        // a scheduler without the serializer forwards the argument as it came
        SchedulerMessage.ComputeTask read = (SchedulerMessage.ComputeTask) codec.decode(frame).get(0);
        UnreadableValue u = assertInstanceOf(UnreadableValue.class, read.args().get(0));
        assertEquals("test.Point", u.typeName());
        UnencodableValueException where = assertThrows(UnencodableValueException.class,
                () -> Values.requireReadable(read.args(), "args"));
        assertTrue(where.getMessage().contains("args[0]") && where.getMessage().contains("test.Point"), where.getMessage());
        byte[] forwarded = codec.encode(List.of(read));
        ValueTypes.register(POINT);
        SchedulerMessage.ComputeTask atWorker = (SchedulerMessage.ComputeTask) codec.decode(forwarded).get(0);
        assertEquals(List.of(Duration.ofSeconds(5, 6)), atWorker.args(), "read where the serializer is");

        // decodeAll (a worker's gather-dep) keeps the value as unreadable instead of failing the transfer
        ValueTypes.unregister(POINT);
        Map<String, Object> all = Values.decodeAll(Map.of("k", bytes));
        assertInstanceOf(UnreadableValue.class, ((List<?>) all.get("k")).get(1));
    }

    @Test
    void aSerializerThatFailsRefusesTheValueOrLeavesItUnreadable() throws Exception {
        ValueType<Duration> failing = ValueType.of("test.Point", Duration.class, p -> {
            throw new IllegalStateException("boom");
        }, b -> {
            throw new IllegalStateException("bang");
        });
        ValueTypes.register(failing);
        try {
            UnencodableValueException e = assertThrows(UnencodableValueException.class, () -> Values.encode(Duration.ofSeconds(1, 1)));
            assertTrue(e.getMessage().contains("boom") && e.getMessage().contains("test.Point"), e.getMessage());
            ValueTypes.register(POINT); // shadows the failing one
            byte[] bytes = Values.encode(Duration.ofSeconds(1, 1));
            ValueTypes.unregister(POINT);
            ProtocolException read = assertThrows(ProtocolException.class, () -> Values.decode(bytes));
            assertTrue(read.getMessage().contains("bang"), read.getMessage());
        } finally {
            ValueTypes.unregister(failing);
        }
    }

    @Test
    void theTypedShapeIsReservedInPlainMaps() {
        Map<String, Object> fake = new LinkedHashMap<>();
        fake.put(Values.TYPE_KEY, "test.Point");
        fake.put(Values.BYTES_KEY, new byte[] {1});
        UnencodableValueException e = assertThrows(UnencodableValueException.class,
                () -> Values.encode(new ArrayList<>(List.of(fake))));
        assertTrue(e.getMessage().contains("value[0]") && e.getMessage().contains("reserved"), e.getMessage());
        fake.put("other", 1);
        Values.check(fake); // a third key makes it an ordinary map
    }
}
