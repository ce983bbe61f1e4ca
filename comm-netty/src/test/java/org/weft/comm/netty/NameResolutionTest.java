package org.weft.comm.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.protocol.Role;

/** Host names are looked up off the event loops: a slow name server stalls only its own connection. */
class NameResolutionTest {

    private final CountDownLatch nameServerAnswers = new CountDownLatch(1);
    private final AtomicReference<String> lookedUpOn = new AtomicReference<>();
    private ServerFixture server;
    private NettyTransport oneLoop;

    @BeforeEach
    void start() throws Exception {
        server = new ServerFixture(TransportConfig.defaults(), true);
        oneLoop = new NettyTransport(1, host -> {
            lookedUpOn.set(Thread.currentThread().getName());
            if (host.equals("slow.test")) {
                try {
                    nameServerAnswers.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return InetAddress.getLoopbackAddress();
            }
            throw new UnknownHostException(host + ": Name or service not known");
        });
    }

    @AfterEach
    void stop() {
        nameServerAnswers.countDown();
        oneLoop.close();
        server.close();
    }

    @Test
    void aSlowLookupDoesNotStallOtherLinksOnTheSameLoop() throws Exception {
        int port = Integer.parseInt(server.server.address().replaceAll(".*:", ""));
        CompletableFuture<ClientLink> slow = oneLoop.connect("tcp://slow.test:" + port, TransportConfig.defaults(),
                Samples.hello(Role.WORKER, "slow"), new Recorder());

        ClientLink quick = server.connect(oneLoop, Role.CLIENT, new Recorder());
        assertTrue(quick.isOpen());
        assertFalse(slow.isDone(), "the slow name is still being looked up");
        assertTrue(lookedUpOn.get().startsWith("weft-resolve-"), lookedUpOn.get());

        nameServerAnswers.countDown();
        assertTrue(slow.get(20, TimeUnit.SECONDS).isOpen());
    }

    @Test
    void anUnknownHostFailsTheConnectNamingTheHostOnTheTransportsThread() {
        AtomicReference<String> completedOn = new AtomicReference<>();
        CompletableFuture<ClientLink> connect = oneLoop.connect("tcp://nowhere.test:8786", TransportConfig.defaults(),
                Samples.hello(Role.WORKER, "w"), new Recorder());
        connect.whenComplete((link, failure) -> completedOn.set(Thread.currentThread().getName()));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> connect.get(20, TimeUnit.SECONDS));
        UnknownHostException cause = assertInstanceOf(UnknownHostException.class, failed.getCause());
        assertEquals("cannot resolve host 'nowhere.test' of tcp://nowhere.test:8786: nowhere.test: Name or service not known",
                cause.getMessage());
        assertTrue(completedOn.get().startsWith("weft-netty-")
                || completedOn.get().equals(Thread.currentThread().getName()), completedOn.get());
    }

    @Test
    void anIpLiteralNeedsNoLookup() throws Exception {
        ClientLink link = server.connect(oneLoop, Role.CLIENT, new Recorder());
        assertTrue(link.isOpen());
        assertEquals(null, lookedUpOn.get());
    }
}
