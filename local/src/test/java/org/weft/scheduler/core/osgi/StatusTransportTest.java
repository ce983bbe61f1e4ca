package org.weft.scheduler.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.comm.netty.TcpAddress;
import org.weft.comm.netty.TransportConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.protocol.Codec;
import org.weft.protocol.Handshake;
import org.weft.protocol.Role;
import org.weft.scheduler.core.remote.SchedulerServer;
import org.weft.worker.process.WorkerProcess;

/** {@code weft:status} shows a listening scheduler's transport counts, and nothing of the kind in a local cluster. */
class StatusTransportTest {

    private static final String NL = System.lineSeparator();

    @Test
    void theCountsAreShownByReasonAndKind() {
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("connections.accepted", 12L);
        stats.put("refused.version", 1L);
        stats.put("refused.token", 6L);
        stats.put("refused.acceptor", 0L);
        stats.put("refused.tls", 0L);
        stats.put("errors.oversized", 2L);
        stats.put("errors.malformed", 3L);
        stats.put("errors.unknownOp", 0L);
        stats.put("errors.role", 1L);
        stats.put("errors.handshake", 0L);
        stats.put("frames.in", 40L);
        stats.put("frames.out", 38L);
        stats.put("bytes.in", 4096L);
        stats.put("bytes.out", 2048L);
        stats.put("links.open", 3L);
        stats.put("reads.paused", 0L);
        assertEquals("transport: 3 links open, 12 connections accepted" + NL
                + "transport refused: 7 (version 1, token 6, acceptor 0, tls 0)" + NL
                + "transport errors: 6 (oversized 2, malformed 3, unknownOp 0, role 1, handshake 0)" + NL
                + "transport in: 40 frames, 4096 bytes; out: 38 frames, 2048 bytes" + NL, WeftCommands.transportStatus(stats));
        stats.put("reads.paused", 2L);
        assertTrue(WeftCommands.transportStatus(stats).startsWith(
                "transport: 3 links open, 12 connections accepted, reads paused 2 times" + NL));
    }

    @Test
    void aLiveServersRefusalsAndErrorsAreCounted() throws Exception {
        LocalCluster cluster = LocalCluster.start(LocalClusterConfig.of(0), TaskFunctionRegistry.withBuiltins());
        try (SchedulerServer server = SchedulerServer.start(cluster.service(),
                new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()))) {
            Codec codec = new Codec();
            send(server, codec.encode(List.of(new Handshake.Hello(Handshake.VERSION + 1, Role.CLIENT, "c", null, Map.of()))));
            send(server, new byte[] {1, 2, 3});
            String text = WeftCommands.transportStatus(server.transportStats());
            assertTrue(text.contains("transport refused: 1 (version 1, token 0, acceptor 0, tls 0)"), text);
            assertTrue(text.contains("transport errors: 1 (oversized 0, malformed 1,"), text);
            assertTrue(text.contains("transport: 0 links open, 0 connections accepted"), text);
        } finally {
            cluster.close();
        }
    }

    @Test
    void aLocalClusterShowsNoTransport() throws Exception {
        LocalCluster cluster = LocalCluster.start(LocalClusterConfig.of(1), TaskFunctionRegistry.withBuiltins());
        PrintStream was = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            new WeftCommands(cluster.service()).status();
        } finally {
            System.setOut(was);
            cluster.close();
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("workers: 1"), text);
        assertFalse(text.contains("transport"), text);
    }

    @Test
    void workerProcessesAreListedWithTheNameTheyGaveAndNoDevicesOfThisMachine() throws Exception {
        LocalCluster cluster = LocalCluster.start(LocalClusterConfig.of(0), TaskFunctionRegistry.withBuiltins());
        SchedulerServer server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()));
        org.weft.worker.process.WorkerProcess worker = org.weft.worker.process.WorkerProcess.start(
                new org.weft.worker.process.WorkerProcess.Config(server.address(), "gpu-1", 1, Map.of(), "127.0.0.1",
                        TransportConfig.defaults(), 20_000, 200, org.weft.pluginhost.PluginHostConfig.DEFAULTS, false),
                TaskFunctionRegistry.withBuiltins());
        PrintStream was = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            long deadline = System.currentTimeMillis() + 10_000;
            while (cluster.scheduler().query(s -> s.workers().size()).get() != 1) {
                assertTrue(System.currentTimeMillis() < deadline, "the worker joined");
                Thread.sleep(10);
            }
            WeftCommands commands = new WeftCommands(cluster.service());
            commands.listenWith(server);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            commands.workers();
        } finally {
            System.setOut(was);
            worker.close();
            server.close();
            cluster.close();
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("gpu-1 (" + worker.address() + ")"), text);
        assertEquals("a (tcp://h:1)", WeftCommands.workerLabel("tcp://h:1", "a"));
        assertEquals("tcp://h:1", WeftCommands.workerLabel("tcp://h:1", "tcp://h:1"));
        assertEquals("inproc://worker-1", WeftCommands.workerLabel("inproc://worker-1", null));
    }

    /** One frame, then reads until the server closes the connection. */
    private static void send(SchedulerServer server, byte[] frame) throws Exception {
        TcpAddress at = TcpAddress.parse(server.address());
        try (Socket s = new Socket(at.host(), at.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array());
            DataInputStream in = new DataInputStream(s.getInputStream());
            try {
                while (true) {
                    in.readFully(new byte[in.readInt()]);
                }
            } catch (EOFException closed) {
                // the server said why and closed
            }
        }
    }
}
