package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.client.Client;
import org.weft.client.GraphRejectedException;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;
import org.weft.comm.netty.TransportConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.node.wire.Serializers;
import org.weft.plugin.api.Serializer;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.protocol.UnreadableValue;
import org.weft.protocol.Values;
import org.weft.worker.WorkerNode;
import org.weft.worker.process.WorkerProcess;

/**
 * Values of a user type (through a plugin-API {@link Serializer}) and values' isolation: the same
 * graph on worker processes over TCP and on a local cluster's in-process workers gives the same
 * results, a result no serializer takes errs its task the same way in both, and nobody shares a
 * mutable result with the worker that holds it.
 */
class UserTypesTest {

    /** A user type: mutable, not JSON-able. */
    static final class Point {
        long x;
        long y;

        Point(long x, long y) {
            this.x = x;
            this.y = y;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Point p && p.x == x && p.y == y;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(31 * x + y);
        }

        @Override
        public String toString() {
            return "Point(" + x + ", " + y + ")";
        }
    }

    static final class PointSerializer implements Serializer<Point> {
        @Override
        public String typeName() {
            return "test.Point";
        }

        @Override
        public Class<Point> type() {
            return Point.class;
        }

        @Override
        public byte[] toBytes(Point p) {
            return ByteBuffer.allocate(16).putLong(p.x).putLong(p.y).array();
        }

        @Override
        public Point fromBytes(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return new Point(b.getLong(), b.getLong());
        }
    }

    /** Not JSON-able, and no serializer takes it. */
    static final class Opaque {
    }

    private final Serializer<Point> serializer = new PointSerializer();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    private static TaskFunctionRegistry functions() {
        TaskFunctionRegistry functions = TaskFunctionRegistry.withBuiltins();
        functions.register("point", (args, c) -> new Point((Long) args.get(0), (Long) args.get(1)));
        functions.register("shift", (args, c) -> {
            Point p = (Point) args.get(0);
            return new Point(p.x + (Long) args.get(1), p.y + (Long) args.get(1));
        });
        functions.register("points", (args, c) -> new ArrayList<>(List.of(new Point(1, 1), new Point(2, 2))));
        functions.register("list", (args, c) -> new ArrayList<>(List.of(1L, 2L, 3L)));
        functions.register("size", (args, c) -> (long) ((List<?>) args.get(0)).size());
        functions.register("x-of-first", (args, c) -> ((Point) ((List<?>) args.get(0)).get(0)).x);
        functions.register("opaque", (args, c) -> List.of("fine", new Opaque()));
        return functions;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        Serializers.unregister(serializer);
    }

    private <T extends AutoCloseable> T open(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** A scheduler with no workers of its own, two worker processes over TCP, and a client of its JVM. */
    private record Remote(LocalCluster cluster, SchedulerServer server, String w1, String w2) {
    }

    private Remote remote() throws Exception {
        LocalCluster cluster = open(LocalCluster.start(LocalClusterConfig.of(0).withValidation(true), functions()));
        SchedulerServer server = open(SchedulerServer.start(cluster.service(),
                new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults())));
        List<String> addresses = new ArrayList<>();
        for (String name : List.of("w1", "w2")) {
            WorkerProcess w = open(WorkerProcess.start(new WorkerProcess.Config(server.address(), name, 1, Map.of(),
                    "127.0.0.1", TransportConfig.defaults(), 20_000, 200, PluginHostConfig.DEFAULTS, true), functions()));
            addresses.add(w.address());
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (cluster.scheduler().query(s -> s.workers().size()).get() != 2) {
            assertTrue(System.currentTimeMillis() < deadline, "workers did not join");
            Thread.sleep(10);
        }
        return new Remote(cluster, server, addresses.get(0), addresses.get(1));
    }

    private LocalCluster local() {
        return open(LocalCluster.start(LocalClusterConfig.of(2).withValidation(true), functions()));
    }

    private LocalCluster localWithPoints() {
        Serializers.register(serializer);
        return local();
    }

    private static List<String> addresses(LocalCluster cluster) {
        return cluster.workers().stream().map(WorkerNode::address).sorted().toList();
    }

    /** The graph both kinds of cluster run: a point made on one worker, shifted on the other, gathered. */
    private static List<Object> pointGraph(Client client, String w1, String w2) throws Exception {
        WeftFuture p = client.submit(TaskOptions.key("p").withWorkers(w1), "point", 1L, 2L);
        WeftFuture q = client.submit(TaskOptions.key("q").withWorkers(w2), "shift", p, 10L);
        WeftFuture arg = client.submit(TaskOptions.key("arg").withWorkers(w2), "shift", new Point(5, 5), 1L);
        WeftFuture ps = client.submit(TaskOptions.key("ps").withWorkers(w1), "points");
        WeftFuture first = client.submit(TaskOptions.key("first").withWorkers(w2), "x-of-first", ps);
        return List.of(q.get(20, TimeUnit.SECONDS), arg.get(20, TimeUnit.SECONDS), first.get(20, TimeUnit.SECONDS),
                client.gather(List.of(p, ps)));
    }

    private static final List<Object> EXPECTED = List.of(new Point(11, 12), new Point(6, 6), 1L,
            List.of(new Point(1, 2), List.of(new Point(1, 1), new Point(2, 2))));

    @Test
    void aUserTypeCrossesWorkerProcessesAndRemoteClientsWithItsSerializer() throws Exception {
        Serializers.register(serializer);
        Remote r = remote();
        try (Client client = r.cluster().client()) {
            assertEquals(EXPECTED, pointGraph(client, r.w1(), r.w2()));
            // nbytes is the size on the wire, as the worker process encoded it
            long nbytes = r.cluster().scheduler().query(s -> s.tasks().get("p").nbytes()).get();
            assertEquals(Values.encode(new Point(1, 2)).length, nbytes);
        }
        try (Client client = open(Client.connect(r.server().address()))) { // a client over TCP, as weft submit
            WeftFuture moved = client.submit(TaskOptions.key("moved").withWorkers(r.w1()), "shift", new Point(0, 0), 3L);
            assertEquals(new Point(3, 3), moved.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void aLocalClusterGivesTheSameResults() throws Exception {
        LocalCluster cluster = localWithPoints();
        List<String> w = addresses(cluster);
        try (Client client = cluster.client()) {
            assertEquals(EXPECTED, pointGraph(client, w.get(0), w.get(1)));
        }
    }

    @Test
    void withoutTheSerializerAUserTypeErrsItsTaskTheSameWayLocallyAndOnWorkerProcesses() throws Exception {
        LocalCluster cluster = local();
        Remote r = remote();
        String localError;
        String remoteError;
        try (Client client = cluster.client()) {
            localError = errorOfPoint(client);
            WeftFuture opaque = client.submit("opaque");
            String message = assertThrows(Exception.class, () -> opaque.get(20, TimeUnit.SECONDS)).getMessage();
            assertTrue(message.contains("value[1]") && message.contains(Opaque.class.getName()), message);
            // what a worker receives when its JVM has no serializer for a type (the scheduler forwards it as it came)
            WeftFuture unreadable = client.submit("size", new UnreadableValue("test.Missing", new byte[] {1}, "no serializer"));
            String why = assertThrows(Exception.class, () -> unreadable.get(20, TimeUnit.SECONDS)).getMessage();
            assertTrue(why.contains("args[0]") && why.contains("'test.Missing'") && why.contains("no serializer"), why);
            assertEquals(4L, client.submit("inc", 3L).get(20, TimeUnit.SECONDS), "the cluster goes on");
            assertThrows(IllegalArgumentException.class, () -> Values.check(new Point(1, 1)));
            GraphRejectedException refused = assertThrows(GraphRejectedException.class,
                    () -> client.submit("size", List.of(new Opaque())));
            assertTrue(refused.getMessage().contains("cannot be sent") && refused.getMessage().contains(Opaque.class.getName()),
                    refused.getMessage());
        }
        try (Client client = r.cluster().client()) {
            remoteError = errorOfPoint(client);
        }
        assertTrue(localError.contains(Point.class.getName()) && localError.contains("cannot cross processes"), localError);
        assertEquals(remoteError, localError, "the same error in both");
    }

    private static String errorOfPoint(Client client) {
        WeftFuture point = client.submit(TaskOptions.key("pt"), "point", 1L, 2L);
        return assertThrows(Exception.class, () -> point.get(20, TimeUnit.SECONDS)).getMessage();
    }

    @Test
    void aClientMutatingAGatheredValueDoesNotChangeWhatADependentTaskOnAnotherWorkerSees() throws Exception {
        LocalCluster cluster = localWithPoints();
        List<String> w = addresses(cluster);
        try (Client client = cluster.client()) {
            WeftFuture list = client.submit(TaskOptions.key("list").withWorkers(w.get(0)), "list");
            WeftFuture point = client.submit(TaskOptions.key("pt").withWorkers(w.get(0)), "point", 7L, 7L);
            @SuppressWarnings("unchecked")
            List<Object> gathered = (List<Object>) list.get(20, TimeUnit.SECONDS);
            gathered.add(4L);
            Point p = (Point) point.get(20, TimeUnit.SECONDS);
            p.x = 100;
            try (Client other = cluster.client()) {
                WeftFuture same = other.submit(TaskOptions.key("list").withWorkers(w.get(0)), "list");
                Object theirs = same.get(20, TimeUnit.SECONDS);
                assertEquals(List.of(1L, 2L, 3L), theirs, "another client gathers the value as it was");
                assertNotSame(gathered, theirs);
            }

            WeftFuture size = client.submit(TaskOptions.key("size").withWorkers(w.get(1)), "size", list);
            WeftFuture shifted = client.submit(TaskOptions.key("shifted").withWorkers(w.get(1)), "shift", point, 0L);
            assertEquals(3L, size.get(20, TimeUnit.SECONDS));
            assertEquals(new Point(7, 7), shifted.get(20, TimeUnit.SECONDS));
            // integers read back as Long locally too, as they would from a worker process
            functionsReturningInts(cluster);
            assertInstanceOf(Long.class, client.submit("int").get(20, TimeUnit.SECONDS));
        }
    }

    private static void functionsReturningInts(LocalCluster cluster) {
        cluster.functions().register("int", (args, c) -> 5);
    }
}
