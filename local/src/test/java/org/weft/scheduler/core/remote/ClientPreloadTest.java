package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.weft.client.Client;
import org.weft.client.ClientOptions;
import org.weft.client.WeftException;
import org.weft.comm.netty.TransportConfig;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.plugin.api.Preload;
import org.weft.plugin.api.PreloadNode;

import picocli.CommandLine.Option;

/** A client's preloads over real TCP: found before it connects, set up once connected with the client, torn down on close. */
@Timeout(120)
class ClientPreloadTest {

    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    private LocalCluster cluster;
    private SchedulerServer server;

    /** Submits a task through the client it is given: the client is connected by the time setup runs. */
    public static class SubmitsOnSetup implements Preload {
        @Option(names = "--value")
        int value;

        @Override
        public void setup(PreloadNode node) throws Exception {
            Client client = node.adapt(Client.class).orElseThrow();
            CALLS.add("setup " + node.role() + " at " + node.schedulerAddress() + ": inc(" + value + ") = "
                    + client.submit("inc", value).get());
        }

        @Override
        public void teardown(PreloadNode node) {
            CALLS.add("teardown " + node.role());
        }
    }

    public static class Throws implements Preload {
        @Override
        public void setup(PreloadNode node) {
            throw new IllegalStateException("refused");
        }
    }

    @BeforeEach
    void start() {
        CALLS.clear();
        cluster = LocalCluster.start(LocalClusterConfig.of(1).withThreads(1), TaskFunctionRegistry.withBuiltins());
        server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()));
    }

    @AfterEach
    void stop() {
        server.close();
        cluster.close();
    }

    @Test
    void aClientsPreloadRunsOnceConnectedWithItsArgumentsAndIsTornDownOnClose() throws Exception {
        ClientOptions options = ClientOptions.defaults().withPreloads(
                List.of(SubmitsOnSetup.class.getName(), "System.setProperty(\"weft.client.preload.test\", \"ran\");"),
                List.of(List.of("--value", "41"), List.of()));
        try (Client client = Client.connect(server.address(), options)) {
            assertEquals(List.of("setup CLIENT at " + server.address() + ": inc(41) = 42"), CALLS);
            assertEquals("ran", System.getProperty("weft.client.preload.test"));
            assertEquals(3, ((Number) client.submit("inc", 2).get()).intValue(), "the client works as any other");
        }
        assertEquals("teardown CLIENT", CALLS.get(CALLS.size() - 1));
    }

    @Test
    void aPreloadThatFailsMakesConnectThrowNamingIt() {
        WeftException missing = assertThrows(WeftException.class, () -> Client.connect(server.address(),
                ClientOptions.defaults().withPreloads(List.of("com.example.Missing"), List.of())));
        assertEquals("preload com.example.Missing: class com.example.Missing not found on the class path;"
                + " the client does not connect", missing.getMessage());
        WeftException thrown = assertThrows(WeftException.class, () -> Client.connect(server.address(),
                ClientOptions.defaults().withPreloads(List.of(Throws.class.getName()), List.of())));
        assertTrue(thrown.getMessage().startsWith("preload " + Throws.class.getName() + ": setup failed: refused"),
                thrown.getMessage());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> ClientOptions.defaults()
                .withPreloads(List.of("a.jar", "b.jar"), List.of(List.of("-v"))));
        assertTrue(mismatch.getMessage().contains("1 lists for 2 preloads"), mismatch.getMessage());
    }
}
