package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.weft.client.Client;
import org.weft.client.TaskOptions;
import org.weft.client.WeftFuture;
import org.weft.client.spi.StoryEntry;
import org.weft.comm.netty.NettyServer;
import org.weft.comm.netty.NettyTransport;
import org.weft.comm.netty.TransportConfig;
import org.weft.scheduler.core.cluster.LocalCluster;
import org.weft.scheduler.core.cluster.LocalClusterConfig;
import org.weft.scheduler.core.functions.TaskFunctionRegistry;
import org.weft.scheduler.core.plugin.PluginHostConfig;

/**
 * Three processes' parts over real TCP: a remote client, the scheduler (a cluster with no workers
 * of its own, its workers joining through a {@link SchedulerServer}) and a {@link WorkerProcess}.
 * A gather reads from the worker process through {@link RemoteGatherSource}.
 */
@Timeout(120)
class RemoteClientOfWorkerProcessesTest {

    private LocalCluster cluster;
    private SchedulerServer server;
    private WorkerProcess worker;
    private NettyTransport transport;
    private NettyServer clients;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.start(LocalClusterConfig.of(0).withValidation(true), TaskFunctionRegistry.withBuiltins());
        server = SchedulerServer.start(cluster, new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()));
        worker = WorkerProcess.start(new WorkerProcess.Config(server.address(), "w1", 2, Map.of(), "127.0.0.1",
                TransportConfig.defaults(), 1_000, 200, PluginHostConfig.DEFAULTS, true), TaskFunctionRegistry.withBuiltins());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (cluster.scheduler().query(s -> s.workers().size()).get() != 1) {
            assertTrue(System.nanoTime() < deadline, "the worker process did not join");
            Thread.sleep(10);
        }
        transport = new NettyTransport(1);
        GatherSource gather = new LocalGatherSource(cluster, new RemoteGatherSource(server::worker));
        clients = listen(gather);
        client = Client.connect(clients.address());
    }

    private NettyServer listen(GatherSource gather) throws IOException {
        String[] address = new String[1];
        NettyServer s = transport.listen("127.0.0.1", 0, TransportConfig.defaults(),
                (hello, link) -> ClientSession.accept(cluster, gather, address[0], "test-scheduler", hello, link));
        address[0] = s.address();
        return s;
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (clients != null) {
            clients.close();
        }
        if (transport != null) {
            transport.close();
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
}
