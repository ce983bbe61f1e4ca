package org.weft.scheduler.core.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.comm.netty.NettyTransport;
import org.weft.comm.netty.TransportConfig;
import org.weft.depot.Depot;
import org.weft.depot.DepotBundle;
import org.weft.depot.DepotDistributor;
import org.weft.local.LocalCluster;
import org.weft.local.LocalClusterConfig;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.protocol.Acceptor;
import org.weft.protocol.BundleMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.Role;

/**
 * A nanny's link over real TCP on loopback, the test playing the nanny: the scheduler sends it the
 * depot's nanny plugins behind the welcome, then {@code depot-sync}, and each change after; its
 * answers show in the depot's rows under its name; a hello without an id is refused.
 */
class NannyLinkTest {

    private LocalCluster cluster;
    private DepotDistributor depot;
    private SchedulerServer server;
    private final NettyTransport transport = new NettyTransport(1);
    private final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterConfig.of(0), TaskFunctionRegistry.withBuiltins());
        depot = new DepotDistributor(new Depot());
        server = SchedulerServer.start(cluster.service(), new SchedulerServer.Config("127.0.0.1", 0, TransportConfig.defaults()), depot);
    }

    @AfterEach
    void stop() {
        transport.close();
        server.close();
        cluster.close();
    }

    private static DepotBundle bundle(String name, String service) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", name);
        manifest.getMainAttributes().putValue("Bundle-Version", "1.0.0");
        manifest.getMainAttributes().putValue("Service-Component", "OSGI-INF/c.xml");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.putNextEntry(new JarEntry("OSGI-INF/c.xml"));
            out.write(("<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"c\">"
                    + "<implementation class=\"x.C\"/><service><provide interface=\"" + service + "\"/></service>"
                    + "<property name=\"weft.task.function.name\" value=\"f\"/></scr:component>").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return DepotBundle.of(bytes.toByteArray(), "test");
    }

    private Link connect(Map<String, Object> info) throws Exception {
        return transport.connect(server.address(), TransportConfig.defaults(),
                new Handshake.Hello(Handshake.VERSION, Role.NANNY, "w1", null, info), new LinkHandler() {
                    @Override
                    public void received(Link link, List<Message> messages) {
                        received.addAll(messages);
                    }

                    @Override
                    public void closed(Link link, String reason) {
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    private Message next() throws InterruptedException {
        Message m = received.poll(10, TimeUnit.SECONDS);
        assertTrue(m != null, "a message from the scheduler");
        return m;
    }

    private List<String> rows() {
        return depot.rows().stream().map(r -> r.symbolicName() + " " + r.workerName() + " " + r.worker() + " " + r.state())
                .toList();
    }

    @Test
    void aNannyGetsTheDepotsNannyPluginsAndTheirChangesAndItsAnswersAreListed() throws Exception {
        DepotBundle plugin = bundle("org.example.np", "org.weft.plugin.api.NannyPlugin");
        DepotBundle function = bundle("org.example.fn", "org.weft.plugin.api.TaskFunction");
        depot.depot().put(plugin);
        depot.depot().put(function);
        Link link = connect(Map.of("nannyId", "nanny-7-abc"));

        BundleMessage.InstallBundle install = assertInstanceOf(BundleMessage.InstallBundle.class, next());
        assertEquals("org.example.np", install.symbolicName(), "only the nanny plugin, not the task function");
        assertEquals(plugin.sha256(), install.sha256());
        assertEquals(new BundleMessage.DepotSync(List.of("org.example.np")), next());
        assertEquals(List.of("org.example.np nanny of w1 nanny-7-abc PENDING"), rows().stream()
                .filter(r -> r.contains("nanny")).toList());

        link.send(new BundleMessage.BundleState("org.example.np", plugin.sha256(), BundleMessage.State.ACTIVE, null));
        long deadline = System.currentTimeMillis() + 10_000;
        while (!rows().contains("org.example.np nanny of w1 nanny-7-abc ACTIVE")) {
            assertTrue(System.currentTimeMillis() < deadline, "the nanny's answer is listed: " + rows());
            Thread.sleep(10);
        }

        depot.depot().remove("org.example.np");
        assertEquals(new BundleMessage.UninstallBundle("org.example.np"), next());
        depot.depot().remove("org.example.fn");
        assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "the task function's removal is not the nanny's");
    }

    @Test
    void aNannyMustSayItsId() {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connect(Map.of()));
        assertInstanceOf(Acceptor.RefusedException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("a nanny must say its id (nannyId)"), e.getCause().getMessage());
    }
}
