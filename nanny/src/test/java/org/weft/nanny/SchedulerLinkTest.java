package org.weft.nanny;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.comm.netty.NettyServer;
import org.weft.comm.netty.NettyTransport;
import org.weft.comm.netty.TransportConfig;
import org.weft.depot.BundleHost;
import org.weft.protocol.Acceptor;
import org.weft.protocol.BundleMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.Role;

/**
 * The nanny's link over real TCP on loopback, the test playing the scheduler: the nanny says hello
 * as NANNY with its id, installs what the depot sends in order and answers for it, counts as synced
 * after {@code depot-sync}, and connects again (getting the depot again) when its link is closed.
 */
class SchedulerLinkTest {

    private final NettyTransport transport = new NettyTransport(1);
    private final LinkedBlockingQueue<Handshake.Hello> hellos = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Message> answers = new LinkedBlockingQueue<>();
    private final List<Link> links = new CopyOnWriteArrayList<>();
    /** The bundles "installed" in the nanny's framework, in order (a host that only remembers). */
    private final List<String> installed = new CopyOnWriteArrayList<>();
    private SchedulerLink link;

    private final BundleHost host = new BundleHost() {
        @Override
        public BundleMessage.BundleState install(BundleMessage.InstallBundle bundle) {
            installed.add(bundle.symbolicName());
            return new BundleMessage.BundleState(bundle.symbolicName(), bundle.sha256(), BundleMessage.State.ACTIVE, null);
        }

        @Override
        public BundleMessage.BundleState uninstall(String symbolicName) {
            installed.remove(symbolicName);
            return new BundleMessage.BundleState(symbolicName, null, BundleMessage.State.UNINSTALLED, null);
        }

        @Override
        public List<String> installed() {
            return List.copyOf(installed);
        }
    };

    @AfterEach
    void stop() {
        if (link != null) {
            link.close();
        }
        transport.close();
    }

    /** A scheduler that sends each nanny one bundle and the sync behind the welcome. */
    private NettyServer scheduler() throws Exception {
        return transport.listen("127.0.0.1", 0, TransportConfig.defaults(), (hello, l) -> {
            hellos.add(hello);
            links.add(l);
            l.send(List.of(new BundleMessage.InstallBundle("org.example.np", "1.0.0", "ab", new byte[] {1}),
                    new BundleMessage.DepotSync(List.of("org.example.np"))));
            return new Acceptor.Accepted(new Handshake.Welcome("s", "nanny-1"), new LinkHandler() {
                @Override
                public void received(Link from, List<Message> messages) {
                    answers.addAll(messages);
                }

                @Override
                public void closed(Link from, String reason) {
                }
            });
        });
    }

    private SchedulerLink link(String address) {
        return new SchedulerLink(address, TransportConfig.defaults(),
                new Handshake.Hello(Handshake.VERSION, Role.NANNY, "w1", null, Map.of("nannyId", "nanny-1")), host);
    }

    @Test
    void theNannyInstallsTheDepotAnswersAndConnectsAgainWhenItsLinkCloses() throws Exception {
        NettyServer server = scheduler();
        link = link(server.address());
        link.start();
        link.firstSync().get(10, TimeUnit.SECONDS);
        Handshake.Hello hello = hellos.poll(10, TimeUnit.SECONDS);
        assertEquals(Role.NANNY, hello.role());
        assertEquals("nanny-1", hello.info().get("nannyId"));
        assertEquals(List.of("org.example.np"), installed);
        assertEquals(new BundleMessage.BundleState("org.example.np", "ab", BundleMessage.State.ACTIVE, null),
                answers.poll(10, TimeUnit.SECONDS));

        links.get(0).close("the scheduler restarts");
        assertTrue(hellos.poll(10, TimeUnit.SECONDS) != null, "the nanny connected again");
        assertEquals(new BundleMessage.BundleState("org.example.np", "ab", BundleMessage.State.ACTIVE, null),
                answers.poll(10, TimeUnit.SECONDS), "and answered for the depot it got again");
        server.close();
    }

    @Test
    void aSchedulerNotThereYetDoesNotHoldUpTheWorker() throws Exception {
        NettyServer server = transport.listen("127.0.0.1", 0, TransportConfig.defaults(), (hello, l) -> {
            throw new Acceptor.RefusedException("not yet");
        });
        String address = server.address();
        server.close(); // nothing listens there now
        link = link(address);
        link.start();
        link.firstSync().get(10, TimeUnit.SECONDS);
        assertTrue(installed.isEmpty());
    }
}
