package org.weft.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;

class CodecTest {

    private final Codec codec = new Codec();

    @Test
    void everyMessageKindReadsBackEqual() throws Exception {
        List<Message> batch = List.of(
                new Handshake.Hello(Handshake.VERSION, Role.WORKER, "w1", "secret", Map.of("nthreads", 2L, "address", "tcp://h:1")),
                new Handshake.Welcome("Scheduler-1", "tcp://h:1"),
                new Handshake.Refused("wrong token"),
                new Handshake.Error("unknown op"),
                new SchedulerMessage.ComputeTask("b", "add", List.of(new Ref("a"), 2L), Map.of("a", List.of("tcp://h:1")), 1, 2,
                        3, Map.of("GPU", 1.0), "s1", 3L << 40),
                new SchedulerMessage.FreeKeys(List.of("a", "b"), "s2"),
                new SchedulerMessage.StealRequest("a", "s3"),
                new SchedulerMessage.AcquireReplicas(Map.of("a", List.of("tcp://h:2")), "s4"),
                new SchedulerMessage.RestartWorker("s5"),
                new SchedulerMessage.CloseWorker("retired", "s6"),
                new SchedulerMessage.Ask(7, "story", Map.of("keys", List.of("a"))),
                new SchedulerMessage.KeyInMemory("a"),
                new SchedulerMessage.KeyErred("a", "boom", "trace", "a"),
                new SchedulerMessage.KeyForgotten("a", "restart"),
                new SchedulerMessage.KeyCancelled("a"),
                new SchedulerMessage.TopicEvent("t", Map.of("x", 1L), 5L),
                SchedulerMessage.Reply.ok(8, List.of(1L, "two")),
                SchedulerMessage.Reply.failed(9, "IllegalArgumentException", "bad graph"),
                new WorkerMessage.TaskFinished("a", 10, "java.lang.Integer", List.of(new WorkerMessage.Span("compute", 1, 2, null)), "s7",
                        17),
                new WorkerMessage.TaskErred("a", "boom", "trace", List.of(), "s8", 18),
                new WorkerMessage.MissingData("a", "tcp://h:2", "s9"),
                new WorkerMessage.StealResponse("a", "READY", "s10"),
                new WorkerMessage.LongRunning("a", "s11", 19),
                new WorkerMessage.Heartbeat(Map.of("memory", 5L)),
                new WorkerMessage.Answer(7, List.of(), null),
                new WorkerMessage.Retire("SIGTERM"),
                new ClientMessage.UpdateGraph(1, List.of(new ClientMessage.Task("b", "add", List.of(new Ref("a"), Map.of("n", new Ref("c"))),
                        0, 0, List.of(), false, Map.of())), List.of("b")),
                new ClientMessage.ReleaseKeys(List.of("b")),
                new ClientMessage.Call(2, "gather", Map.of("keys", List.of("b"))),
                new DataMessage.GetData(3, List.of("a")),
                new DataMessage.Data(3, Map.of(), List.of("a")));
        List<Message> read = codec.decode(codec.encode(batch));
        assertEquals(batch, read);
    }

    @Test
    void refsAtAnyDepthReadBackAsRefsAndPlainMapsStayMaps() throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("deps", List.of(new Ref("x"), List.of(new Ref("y"))));
        nested.put("plain", Map.of("ref", "not a reference"));
        SchedulerMessage.ComputeTask task = new SchedulerMessage.ComputeTask("k", "f", List.of(nested), Map.of(), 0, 0, 0, Map.of(), "s");
        SchedulerMessage.ComputeTask read = (SchedulerMessage.ComputeTask) codec.decode(codec.encode(List.of(task))).get(0);
        assertEquals(task, read);
    }

    @Test
    void valuesKeepTheirTypesAndBytesStayBytes() throws Exception {
        byte[] bytes = {1, 2, 3, -1};
        List<Object> value = new ArrayList<>(List.of(1, 2L, (short) 3, 3L << 40, 3.5, "s", true));
        value.add(null);
        List<Object> expected = new ArrayList<>(List.of(1L, 2L, 3L, 3L << 40, 3.5, "s", true));
        expected.add(null);
        assertEquals(expected, Values.decode(Values.encode(value)), "integers read back as Long");
        assertArrayEquals(bytes, (byte[]) Values.decode(Values.encode(bytes)));
        DataMessage.Data data = (DataMessage.Data) codec.decode(codec.encode(List.of(new DataMessage.Data(1, Map.of("a", bytes), List.of())))).get(0);
        assertArrayEquals(bytes, data.data().get("a"));
        byte[] big = new byte[1 << 20];
        java.util.Arrays.fill(big, (byte) 0xff);
        assertTrue(Values.encode(big).length < big.length + 16, "bytes travel raw, not 7-bit escaped");
    }

    @Test
    void theSizeOfBytesIsMeasuredWithoutEncodingThemAndEqualsTheEncodedLength() {
        for (int n : new int[] {0, 1, 63, 64, 65, 8191, 8192, 8193, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3_000_000}) {
            byte[] bytes = new byte[n];
            assertEquals(Values.encode(bytes).length, Values.encodedSize(bytes), n + " bytes");
        }
        assertEquals(Values.encode(List.of(1, "x")).length, Values.encodedSize(List.of(1, "x")));
        assertThrows(UnencodableValueException.class, () -> Values.encodedSize(new Object()));
    }

    @Test
    void aCopyIsNotTheSameObject() {
        List<Object> original = new ArrayList<>(List.of(1, 2));
        @SuppressWarnings("unchecked")
        List<Object> copy = (List<Object>) Values.copy(original);
        copy.add(3);
        assertEquals(List.of(1, 2), original);
    }

    @Test
    void aValueThatCannotCrossProcessesIsRefusedNamingTypeAndPlace() {
        UnencodableValueException e = assertThrows(UnencodableValueException.class,
                () -> Values.encode(Map.of("a", List.of(1, new Object()))));
        assertTrue(e.getMessage().contains("value.a[1]") && e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertThrows(UnencodableValueException.class, () -> Values.check(Map.of(1, "int key")));
        assertThrows(UnencodableValueException.class, () -> Values.check(BigInteger.TEN));
        assertThrows(UnencodableValueException.class,
                () -> codec.encode(List.of(new SchedulerMessage.TopicEvent("t", new Thread(), 1))));
        UnencodableValueException plain = assertThrows(UnencodableValueException.class,
                () -> codec.encode(List.of(new SchedulerMessage.TopicEvent("t", new Object(), 1))));
        assertTrue(plain.getMessage().contains("cannot cross processes"), plain.getMessage());
    }

    @Test
    void anUnknownOpIsAProtocolErrorNamingIt() throws Exception {
        ObjectMapper smile = new ObjectMapper(new SmileFactory());
        byte[] frame = smile.writeValueAsBytes(List.of(Map.of("op", "nope", "key", "a")));
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.decode(frame));
        assertTrue(e.getMessage().contains("unknown op 'nope'"), e.getMessage());
    }

    @Test
    void malformedFramesAreProtocolErrors() throws Exception {
        assertThrows(ProtocolException.class, () -> codec.decode(new byte[] {1, 2, 3, 4, 5}));
        byte[] good = codec.encode(List.of(new SchedulerMessage.KeyInMemory("a")));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 2);
        assertThrows(ProtocolException.class, () -> codec.decode(truncated));
        ObjectMapper smile = new ObjectMapper(new SmileFactory());
        assertThrows(ProtocolException.class, () -> codec.decode(smile.writeValueAsBytes(Map.of("op", "key-in-memory"))));
    }

    @Test
    void unknownFieldsFromANewerPeerAreIgnored() throws Exception {
        ObjectMapper smile = new ObjectMapper(new SmileFactory());
        byte[] frame = smile.writeValueAsBytes(List.of(Map.of("op", "key-in-memory", "key", "a", "added-later", 5)));
        assertEquals(List.of(new SchedulerMessage.KeyInMemory("a")), codec.decode(frame));
    }

    @Test
    void theRunIdCrossesTheWireAndAFrameWithoutOneReadsAsRunZero() throws Exception {
        SchedulerMessage.ComputeTask compute = new SchedulerMessage.ComputeTask("k", "f", List.of(new Ref("a")), Map.of(), 0,
                0, 0, Map.of(), "s", Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, ((SchedulerMessage.ComputeTask) codec.decode(codec.encode(List.of(compute))).get(0)).runId());
        ObjectMapper smile = new ObjectMapper(new SmileFactory());
        byte[] older = smile.writeValueAsBytes(List.of(Map.of("op", "task-finished", "key", "a", "nbytes", 8, "stimulusId", "s"),
                Map.of("op", "task-erred", "key", "a", "exceptionText", "boom", "stimulusId", "s"),
                Map.of("op", "compute-task", "key", "a", "function", "f", "stimulusId", "s"),
                Map.of("op", "long-running", "key", "a", "stimulusId", "s")));
        assertEquals(List.of(new WorkerMessage.TaskFinished("a", 8, null, List.of(), "s", 0),
                new WorkerMessage.TaskErred("a", "boom", null, List.of(), "s", 0),
                new SchedulerMessage.ComputeTask("a", "f", List.of(), Map.of(), 0, 0, 0, Map.of(), "s", 0),
                new WorkerMessage.LongRunning("a", "s", 0)), codec.decode(older));
    }

    @Test
    void streamsEncodeTheSameFrame() throws Exception {
        List<Message> batch = List.of(new ClientMessage.ReleaseKeys(List.of("a")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.encode(batch, out);
        assertArrayEquals(codec.encode(batch), out.toByteArray());
        assertEquals(batch, codec.decode(new java.io.ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void eachRoleMaySendOnlyItsOwnMessages() {
        Message report = new WorkerMessage.LongRunning("a", "s");
        Message call = new ClientMessage.Call(1, "identity", Map.of());
        assertTrue(Role.WORKER.maySend(report));
        assertTrue(!Role.WORKER.maySend(call));
        assertTrue(Role.CLIENT.maySend(call));
        assertTrue(!Role.CLIENT.maySend(report));
        assertTrue(Role.PEER.maySend(new DataMessage.GetData(1, List.of())));
        assertTrue(!Role.PEER.maySend(report));
        assertInstanceOf(Handshake.class, new Handshake.Refused("x"));
    }
}
