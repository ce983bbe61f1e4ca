package org.weft.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Values of user types through a registered {@link ValueType}: round trips, unknown types, the reserved shape. */
class ValueTypesTest {

    /** A user type: not JSON-able, mutable. */
    static final class Point {
        int x;
        int y;

        Point(int x, int y) {
            this.x = x;
            this.y = y;
        }

        byte[] toBytes() {
            return (x + "," + y).getBytes(StandardCharsets.UTF_8);
        }

        static Point fromBytes(byte[] bytes) {
            String[] parts = new String(bytes, StandardCharsets.UTF_8).split(",");
            return new Point(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Point p && p.x == x && p.y == y;
        }

        @Override
        public int hashCode() {
            return 31 * x + y;
        }
    }

    static final ValueType<Point> POINT = ValueType.of("test.Point", Point.class, Point::toBytes, Point::fromBytes);

    private final Codec codec = new Codec();

    @AfterEach
    void unregister() {
        ValueTypes.unregister(POINT);
    }

    @Test
    void aRegisteredTypeRoundTripsNestedAndAsACopy() throws Exception {
        ValueTypes.register(POINT);
        Point p = new Point(3, 4);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("p", p);
        value.put("ps", List.of(new Point(1, 2), "s"));
        Values.check(value);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Values.decode(Values.encode(value));
        assertEquals(p, back.get("p"));
        assertNotSame(p, back.get("p"), "a fresh object the reader owns");
        assertEquals(List.of(new Point(1, 2), "s"), back.get("ps"));
        assertEquals(p, Values.copy(p));
        assertNotSame(p, Values.copy(p));
        // in task arguments, through the codec
        SchedulerMessage.ComputeTask c = (SchedulerMessage.ComputeTask) codec.decode(codec.encode(List.of(
                new SchedulerMessage.ComputeTask("b", "f", List.of(p, new Ref("a")), Map.of(), 0, 0, 0, Map.of(), "s")))).get(0);
        assertEquals(List.of(p, new Ref("a")), c.args());
        // what travels: the reserved map, with the bytes raw
        Object raw = Values.MAPPER.readValue(Values.encode(p), Object.class);
        assertEquals(Map.of(Values.TYPE_KEY, "test.Point"), Map.of(Values.TYPE_KEY, ((Map<?, ?>) raw).get(Values.TYPE_KEY)));
        assertArrayEquals(p.toBytes(), (byte[]) ((Map<?, ?>) raw).get(Values.BYTES_KEY));
    }

    @Test
    void withoutASerializerAUserTypeIsRefusedNamingTypeAndPlace() {
        UnencodableValueException e = assertThrows(UnencodableValueException.class,
                () -> Values.encode(List.of(1, new Point(1, 2))));
        assertTrue(e.getMessage().contains("value[1]") && e.getMessage().contains(Point.class.getName()), e.getMessage());
        assertThrows(UnencodableValueException.class,
                () -> codec.encode(List.of(new SchedulerMessage.TopicEvent("t", new Point(1, 2), 1))));
    }

    @Test
    void aTypeNoSerializerHereKnowsFailsADecodeNamingTheTypeButPassesThroughArguments() throws Exception {
        ValueTypes.register(POINT);
        byte[] bytes = Values.encode(List.of("a", new Point(5, 6)));
        SchedulerMessage.ComputeTask sent = new SchedulerMessage.ComputeTask("b", "f", List.of(new Point(5, 6)), Map.of(),
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
        assertEquals(List.of(new Point(5, 6)), atWorker.args(), "read where the serializer is");

        // decodeAll (a worker's gather-dep) keeps the value as unreadable instead of failing the transfer
        ValueTypes.unregister(POINT);
        Map<String, Object> all = Values.decodeAll(Map.of("k", bytes));
        assertInstanceOf(UnreadableValue.class, ((List<?>) all.get("k")).get(1));
    }

    @Test
    void aSerializerThatFailsRefusesTheValueOrLeavesItUnreadable() throws Exception {
        ValueType<Point> failing = ValueType.of("test.Point", Point.class, p -> {
            throw new IllegalStateException("boom");
        }, b -> {
            throw new IllegalStateException("bang");
        });
        ValueTypes.register(failing);
        try {
            UnencodableValueException e = assertThrows(UnencodableValueException.class, () -> Values.encode(new Point(1, 1)));
            assertTrue(e.getMessage().contains("boom") && e.getMessage().contains("test.Point"), e.getMessage());
            ValueTypes.register(POINT); // shadows the failing one
            byte[] bytes = Values.encode(new Point(1, 1));
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
