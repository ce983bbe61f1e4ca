package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.comm.netty.TcpAddress;
import org.weft.comm.netty.TransportConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerEvent;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.pluginhost.PluginOrigin;
import org.weft.protocol.Codec;
import org.weft.protocol.Handshake;
import org.weft.protocol.Message;
import org.weft.protocol.Role;
import org.weft.protocol.SchedulerMessage;
import org.weft.worker.process.WorkerProcess;

/**
 * A worker that joins over TCP, then says nothing and ignores being told to close: the worker TTL
 * drops it from the scheduler, and after a grace period its link is closed (as Dask's remove_worker
 * closes the comm), so its address is free to join again. Found by {@link FuzzTest}: before, the link
 * stayed open and the address stayed taken. Also: a worker's data address must be tcp://HOST:PORT.
 */
class RemoteWorkerTtlTest {

    private static final Codec CODEC = new Codec();

    private LocalCluster cluster;
    private SchedulerServer server;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterConfig.of(0).withValidation(true).withWorkerTtl(1_000),
                TaskFunctionRegistry.withBuiltins());
        server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()));
    }

    @AfterEach
    void stop() {
        server.close();
        cluster.close();
    }

    private Socket join(String dataAddress) throws IOException {
        TcpAddress at = TcpAddress.parse(server.address());
        Socket s = new Socket(at.host(), at.port());
        s.setSoTimeout(30_000);
        byte[] hello = CODEC.encode(List.of(new Handshake.Hello(Handshake.VERSION, Role.WORKER, "silent", null,
                Map.of("address", dataAddress, "nthreads", 1))));
        s.getOutputStream().write(ByteBuffer.allocate(4 + hello.length).putInt(hello.length).put(hello).array());
        return s;
    }

    /** Every message the scheduler sends until it closes the connection. */
    private static List<Message> readUntilClosed(Socket s) throws Exception {
        DataInputStream in = new DataInputStream(s.getInputStream());
        List<Message> out = new ArrayList<>();
        while (true) {
            byte[] frame;
            try {
                frame = new byte[in.readInt()];
            } catch (EOFException e) {
                return out;
            }
            in.readFully(frame);
            out.addAll(CODEC.decode(frame));
        }
    }

    private Set<String> workers() throws Exception {
        return cluster.scheduler().query(s -> Set.copyOf(s.workers().keySet())).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWorkerSilentPastTheTtlIsDroppedItsLinkClosedAndItsAddressFreeAgain() throws Exception {
        String address = "tcp://127.0.0.1:9";
        try (Socket silent = join(address)) {
            List<Message> got = readUntilClosed(silent);
            assertInstanceOf(Handshake.Welcome.class, got.get(0), got.toString());
            assertTrue(got.stream().anyMatch(m -> m instanceof SchedulerMessage.CloseWorker), "told to close: " + got);
            Message last = got.get(got.size() - 1);
            assertTrue(last instanceof Handshake.Error e && e.reason().contains("told to close"), got.toString());
        }
        assertEquals(Set.of(), workers());
        long deadline = System.currentTimeMillis() + 10_000;
        while (server.remoteWorkers().contains(address)) {
            assertTrue(System.currentTimeMillis() < deadline, "the server forgot the dropped worker");
            Thread.sleep(20);
        }
        try (Socket again = join(address)) {
            List<Message> got = readUntilClosed(again);
            assertInstanceOf(Handshake.Welcome.class, got.get(0), "the address may join again: " + got);
        }
    }

    /**
     * A worker dropped as silent comes back on a new connection before the scheduler has closed
     * its old one (a pulled cable put back: the old link is dead, but the grace period has not run
     * out). The new connection is welcomed, the old one closed, and closing it does not remove the
     * worker that has joined again. Found by NetworkNamespacesIT: the new hello was refused as
     * "already connected" and the worker gave up.
     */
    @Test
    void aDroppedWorkerConnectingAgainBeforeItsOldLinkClosedReplacesIt() throws Exception {
        String address = "tcp://127.0.0.1:9";
        try (Socket old = join(address)) {
            DataInputStream in = new DataInputStream(old.getInputStream());
            boolean toldToClose = false;
            while (!toldToClose) { // the welcome, then the close for silence
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                toldToClose = CODEC.decode(frame).stream().anyMatch(m -> m instanceof SchedulerMessage.CloseWorker);
            }
            try (Socket again = join(address)) {
                DataInputStream in2 = new DataInputStream(again.getInputStream());
                byte[] frame = new byte[in2.readInt()];
                in2.readFully(frame);
                assertInstanceOf(Handshake.Welcome.class, CODEC.decode(frame).get(0), "the same worker may join again");
                Thread beats = new Thread(() -> heartbeats(again));
                beats.setDaemon(true);
                beats.start();
                List<Message> rest = readUntilClosed(old); // closed now, not after the grace period
                assertTrue(rest.stream().noneMatch(m -> m instanceof Handshake.Error e && e.reason().contains("told to close")),
                        "closed as replaced, not after the grace period: " + rest);
                long deadline = System.currentTimeMillis() + 1_500;
                while (System.currentTimeMillis() < deadline) {
                    assertEquals(Set.of(address), workers(), "the worker that joined again stays");
                    Thread.sleep(50);
                }
                assertTrue(server.remoteWorkers().contains(address));
            }
        }
    }

    /** Heartbeats on {@code s} every 200 ms until it closes. */
    private static void heartbeats(Socket s) {
        byte[] beat = CODEC.encode(List.of(new org.weft.protocol.WorkerMessage.Heartbeat(Map.of())));
        try {
            while (!s.isClosed()) {
                s.getOutputStream().write(ByteBuffer.allocate(4 + beat.length).putInt(beat.length).put(beat).array());
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException e) {
            // closed: done
        }
    }

    /**
     * A real worker process that stops heartbeating (its interval far past the TTL, as when a
     * network partition swallows its heartbeats) yet still hears the scheduler: dropped as silent,
     * it is told to close for silence, and rejoins as a fresh worker instead of exiting. The
     * scheduler sees it join, leave and join again; the process is still running.
     */
    @Test
    void aLiveWorkerRemovedAsSilentJoinsAgain() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        cluster.scheduler().addPlugin(new SchedulerPlugin() {
            @Override
            public void addWorker(WorkerEvent event) {
                seen.add("add " + event.worker());
            }

            @Override
            public void removeWorker(WorkerEvent event) {
                seen.add("remove " + event.worker());
            }
        }, PluginOptions.named("joins"), PluginOrigin.CODE).join();
        WorkerProcess worker = WorkerProcess.start(new WorkerProcess.Config(server.address(), "quiet", 1, Map.of(), "127.0.0.1",
                TransportConfig.defaults(), 30_000, 3_600_000, PluginHostConfig.DEFAULTS, true),
                TaskFunctionRegistry.withBuiltins());
        try {
            String a = worker.address();
            long deadline = System.currentTimeMillis() + 30_000;
            while (seen.size() < 3) {
                assertTrue(System.currentTimeMillis() < deadline, "joined, removed, joined again: " + seen);
                Thread.sleep(20);
            }
            assertEquals(List.of("add " + a, "remove " + a, "add " + a), seen.subList(0, 3));
            assertTrue(!worker.exited().isDone(), "the worker process runs on: " + worker.exited().getNow(null));
        } finally {
            worker.close();
        }
    }

    @Test
    void aWorkerHelloWhoseDataAddressIsNoTcpHostAndPortIsRefused() throws Exception {
        for (String bogus : List.of("tcp://127.0.0.!:11", "tcp://127.0.0.1", "tcp://127.0.0.1:0", "tcp://h:1/path")) {
            try (Socket s = join(bogus)) {
                List<Message> got = readUntilClosed(s);
                assertTrue(got.size() == 1 && got.get(0) instanceof Handshake.Refused r && r.reason().contains("data address"),
                        bogus + ": " + got);
            }
        }
        assertEquals(Set.of(), workers());
    }
}
