package org.weft.comm.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.weft.protocol.ClientMessage;
import org.weft.protocol.Codec;
import org.weft.protocol.DataMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Message;
import org.weft.protocol.Ref;
import org.weft.protocol.Role;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.WorkerMessage;

/** One message of every kind, grouped by the role that may send it, and hellos. */
final class Samples {

    private static final Codec CODEC = new Codec();

    private Samples() {
    }

    static Handshake.Hello hello(Role role, String name) {
        return new Handshake.Hello(Handshake.VERSION, role, name, null, Map.of("nthreads", 2));
    }

    static List<Message> clientMessages() {
        return List.of(
                new ClientMessage.UpdateGraph(1, List.of(new ClientMessage.Task("inc-1", "inc", List.of("a", new Ref("x")), 1,
                        2, List.of("tcp://w:1"), true, Map.of("GPU", 1.0))), List.of("inc-1")),
                new ClientMessage.ReleaseKeys(List.of("inc-1")),
                new ClientMessage.Call(2, "gather", Map.of("keys", List.of("inc-1"))));
    }

    static List<Message> workerMessages() {
        return List.of(
                new WorkerMessage.TaskFinished("inc-1", 10, "java.lang.String",
                        List.of(new WorkerMessage.Span("compute", 1, 2, null)), "s1"),
                new WorkerMessage.TaskErred("inc-2", "boom", "at inc", List.of(), "s2"),
                new WorkerMessage.MissingData("inc-3", "tcp://w:2", "s3"),
                new WorkerMessage.StealResponse("inc-4", "ready", "s4"),
                new WorkerMessage.LongRunning("inc-5", "s5"),
                new WorkerMessage.Heartbeat(Map.of("cpu", 0.5, "memory", "12")),
                new WorkerMessage.Answer(3, "fine", null),
                new DataMessage.Data(9, Map.of("inc-1", new byte[] {1, 2, 3}), List.of("inc-9")));
    }

    static List<Message> peerMessages() {
        return List.of(new DataMessage.GetData(7, List.of("inc-1", "inc-2")));
    }

    static List<Message> nannyMessages() {
        return List.of(new org.weft.protocol.BundleMessage.BundleState("org.example.n", "ab12",
                org.weft.protocol.BundleMessage.State.ACTIVE, null));
    }

    static List<Message> schedulerMessages() {
        return List.of(
                new SchedulerMessage.ComputeTask("inc-1", "inc", List.of("a", new Ref("dep")),
                        Map.of("dep", List.of("tcp://w:1")), 1, 2, 3, Map.of("GPU", 1.0), "s1"),
                new SchedulerMessage.FreeKeys(List.of("inc-1"), "s2"),
                new SchedulerMessage.StealRequest("inc-2", "s3"),
                new SchedulerMessage.AcquireReplicas(Map.of("inc-3", List.of("tcp://w:2")), "s4"),
                new SchedulerMessage.RestartWorker("s5"),
                new SchedulerMessage.CloseWorker("retired", "s6"),
                new SchedulerMessage.Ask(4, "threads", Map.of("all", true)),
                new SchedulerMessage.KeyInMemory("inc-1"),
                new SchedulerMessage.KeyErred("inc-2", "boom", "at inc", "inc-2"),
                new SchedulerMessage.KeyForgotten("inc-3", "released"),
                new SchedulerMessage.KeyCancelled("inc-4"),
                new SchedulerMessage.TopicEvent("topic", "an event", 5),
                SchedulerMessage.Reply.ok(6, "value"),
                new DataMessage.GetData(8, List.of("inc-5")),
                new DataMessage.Data(8, Map.of("inc-5", new byte[] {4, 5}), List.of()));
    }

    static List<Message> forRole(Role role) {
        return switch (role) {
            case CLIENT -> clientMessages();
            case WORKER -> workerMessages();
            case PEER -> peerMessages();
            case NANNY -> nannyMessages();
            case SCHEDULER -> schedulerMessages();
        };
    }

    /** Equal records, or (for those holding byte arrays) the same encoding. */
    static void assertSameMessages(List<Message> expected, List<Message> actual) {
        assertEquals(expected.size(), actual.size(), "messages: " + actual);
        for (int i = 0; i < expected.size(); i++) {
            Message e = expected.get(i);
            if (e instanceof DataMessage.Data) {
                assertArrayEquals(CODEC.encode(List.of(e)), CODEC.encode(List.of(actual.get(i))), "message " + i);
            } else {
                assertEquals(e, actual.get(i), "message " + i);
            }
        }
    }
}
