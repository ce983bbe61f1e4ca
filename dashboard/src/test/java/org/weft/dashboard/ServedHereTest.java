package org.weft.dashboard;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/**
 * The check that the dashboard's address is this process's: on real Jetty servers on loopback,
 * one serving this instance, one serving another (the process that took the port), and a port
 * nothing listens on.
 */
class ServedHereTest {

    private static Server serving(ServedHere instance) throws Exception {
        Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(instance), ServedHere.PATH);
        server.setHandler(context);
        server.start();
        return server;
    }

    private static String endpoint(Server server) {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/";
    }

    @Test
    void onlyTheProcessThatServesTheAddressIsServedThere() throws Exception {
        ServedHere self = new ServedHere();
        Server ours = serving(self);
        Server theirs = serving(new ServedHere());
        try {
            assertNull(self.whyNotServedAt(endpoint(ours), Duration.ofSeconds(5)));
            String why = self.whyNotServedAt(endpoint(theirs), Duration.ofMillis(300));
            assertTrue(why != null && why.contains("another server answers there (HTTP 200)"), why);
        } finally {
            ours.stop();
            theirs.stop();
        }
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        String why = self.whyNotServedAt("http://127.0.0.1:" + closed + "/", Duration.ofMillis(300));
        assertTrue(why != null && why.startsWith("nothing answers there"), why);
    }
}
