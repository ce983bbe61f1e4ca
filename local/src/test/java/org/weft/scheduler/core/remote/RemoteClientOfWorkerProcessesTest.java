package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.weft.client.Client;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;
import org.weft.client.remote.SubmitMain;
import org.weft.comm.netty.TransportConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.protocol.StoryEntry;
import org.weft.worker.process.WorkerProcess;

/**
 * Three processes' parts over real TCP: a remote client and a {@link WorkerProcess}, both connected
 * to a {@link SchedulerServer} whose cluster has no workers of its own, so a gather reads from the
 * worker process (its bytes passed on to the client undecoded).
 */
@Timeout(120)
class RemoteClientOfWorkerProcessesTest {

    private LocalCluster cluster;
    private SchedulerServer server;
    private WorkerProcess worker;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.start(LocalClusterConfig.of(0).withValidation(true), TaskFunctionRegistry.withBuiltins());
        server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()));
        TaskFunctionRegistry workerFunctions = TaskFunctionRegistry.withBuiltins();
        workerFunctions.register("inc-from-task", // a task that submits a task and waits for it
                (args, ctx) -> Client.current().submit("inc", args.get(0)).get(30, TimeUnit.SECONDS));
        worker = WorkerProcess.start(new WorkerProcess.Config(server.address(), "w1", 1, Map.of(), "127.0.0.1",
                TransportConfig.defaults(), 1_000, 200, PluginHostConfig.DEFAULTS, true), workerFunctions);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (cluster.scheduler().query(s -> s.workers().size()).get() != 1) {
            assertTrue(System.nanoTime() < deadline, "the worker process did not join");
            Thread.sleep(10);
        }
        client = Client.connect(server.address());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (worker != null) {
            worker.close();
        }
        server.close();
        cluster.close();
    }

    @Test
    void resultsComputedInAWorkerProcessReachTheRemoteClient() {
        WeftFuture a = client.submit(TaskOptions.key("a"), "inc", 1);
        WeftFuture b = client.submit("add", a, 10);
        assertEquals(List.of(2L, 12L), client.gather(List.of(a, b), 20, TimeUnit.SECONDS));
        byte[] bytes = {9, 8, 7};
        assertArrayEquals(bytes, (byte[]) client.submit("identity", (Object) bytes).get(20, TimeUnit.SECONDS));
        assertEquals(Map.of("x", List.of(1L, "y")), client.submit("identity", Map.of("x", List.of(1L, "y")))
                .get(20, TimeUnit.SECONDS));

        List<StoryEntry> story = client.story("a");
        assertTrue(story.stream().anyMatch(e -> e.where().equals(worker.address())), story.toString());
    }

    @Test
    void aTaskInAWorkerProcessSubmitsTasksThroughClientCurrent() {
        assertEquals(6L, client.submit("inc-from-task", 5).get(30, TimeUnit.SECONDS));
    }

    @Test
    void weftSubmitRunsAGraphFileOnTheWorkerProcess(@TempDir Path dir) throws IOException {
        Path graph = Files.writeString(dir.resolve("graph.json"),
                "{\"tasks\": {\"a\": {\"fn\": \"inc\", \"args\": [1]}, \"b\": {\"fn\": \"add\", \"args\": [{\"ref\": \"a\"}, 10]}},"
                        + " \"keys\": [\"b\"]}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SubmitMain.run(new String[] {graph.toString(), "--scheduler", server.address()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("b = 12", out.toString(StandardCharsets.UTF_8).strip());
    }
}
