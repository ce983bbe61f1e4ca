package org.weft.client.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.weft.client.Client;
import org.weft.client.ClientOptions;
import org.weft.client.WeftException;
import org.weft.comm.netty.NettyServer;
import org.weft.comm.netty.NettyTransport;
import org.weft.comm.netty.TlsConfig;
import org.weft.comm.netty.TransportConfig;
import org.weft.protocol.ClientMessage;
import org.weft.protocol.SchedulerMessage;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

/** Client.connect over real TCP with TLS and a token: ClientOptions reach the transport. */
@Timeout(60)
class RemoteTlsTest {

    private static final String TOKEN = "tls-test-token";

    @TempDir
    static Path dir;
    private static Path caPem;
    private static Path clientPem;
    private static Path clientKey;
    private static TlsConfig serverTls;

    private final NettyTransport transport = new NettyTransport(1);
    private final RemoteSchedulerConnectionTest.ScriptedScheduler scheduler = new RemoteSchedulerConnectionTest.ScriptedScheduler();
    private NettyServer server;

    @BeforeAll
    static void certificates() throws Exception {
        X509Bundle ca = new CertificateBuilder().subject("CN=weft test CA").setIsCertificateAuthority(true).ecp256()
                .buildSelfSigned();
        X509Bundle server = new CertificateBuilder().subject("CN=scheduler").addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth().ecp256().buildIssuedBy(ca);
        X509Bundle client = new CertificateBuilder().subject("CN=client").addExtendedKeyUsageClientAuth().ecp256()
                .buildIssuedBy(ca);
        caPem = write("ca.pem", ca.getCertificatePEM());
        clientPem = write("client.pem", client.getCertificatePathPEM());
        clientKey = write("client.key", client.getPrivateKeyPEM());
        serverTls = new TlsConfig(write("server.pem", server.getCertificatePathPEM()), write("server.key",
                server.getPrivateKeyPEM()), caPem, true);
    }

    private static Path write(String name, String pem) throws IOException {
        return Files.writeString(dir.resolve(name), pem);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        transport.close();
    }

    @Test
    void aClientWithTheCasCertificateAndTheTokenIsServedOverTls() throws IOException {
        server = transport.listen("127.0.0.1", 0, TransportConfig.defaults().withToken(TOKEN).withTls(serverTls), scheduler);
        scheduler.answer = m -> m instanceof ClientMessage.Call call
                ? SchedulerMessage.Reply.ok(call.id(), Map.of("type", "Scheduler")) : null;
        try (Client client = Client.connect(server.address(),
                ClientOptions.defaults().withToken(TOKEN).withTls(caPem, clientPem, clientKey))) {
            assertEquals(Map.of("type", "Scheduler"), client.identity());
            assertEquals(client.id(), scheduler.hello.name());
        }
    }

    @Test
    void withoutACertificateOrWithoutTlsTheClientIsNotConnected() throws IOException {
        server = transport.listen("127.0.0.1", 0, TransportConfig.defaults().withToken(TOKEN).withTls(serverTls), scheduler);
        WeftException noCertificate = assertThrows(WeftException.class, () -> Client.connect(server.address(),
                ClientOptions.defaults().withToken(TOKEN).withTls(caPem, null, null)));
        assertTrue(noCertificate.getMessage().contains(server.address()), noCertificate.getMessage());
        assertThrows(WeftException.class, () -> Client.connect(server.address(), ClientOptions.defaults().withToken(TOKEN)));
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.defaults().withTls(caPem, clientPem, null));
    }
}
