package org.weft.comm.netty;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.comm.netty.TransportStats.Counter;
import org.weft.protocol.Role;
import org.weft.protocol.WorkerMessage;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

class TlsTest {

    @TempDir
    static Path dir;

    /** PEM files: {@code <name>.pem} (certificate chain) and {@code <name>.key}; CAs just {@code <name>.pem}. */
    private static TlsConfig serverTls;
    private static TlsConfig trustedClient;
    private static TlsConfig clientWithoutCertificate;
    private static TlsConfig clientFromAnotherCa;
    private static TlsConfig clientTrustingAnotherCa;
    private static TlsConfig serverNamedElsewhere;

    private final NettyTransport clients = new NettyTransport(1);
    private ServerFixture fixture;

    @BeforeAll
    static void certificates() throws Exception {
        X509Bundle ca = new CertificateBuilder().subject("CN=weft test CA").setIsCertificateAuthority(true).ecp256()
                .buildSelfSigned();
        X509Bundle otherCa = new CertificateBuilder().subject("CN=someone else's CA").setIsCertificateAuthority(true)
                .ecp256().buildSelfSigned();
        Path caPem = write("ca.pem", ca.getCertificatePEM());
        Path otherCaPem = write("other-ca.pem", otherCa.getCertificatePEM());
        X509Bundle server = new CertificateBuilder().subject("CN=scheduler").addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth().ecp256().buildIssuedBy(ca);
        X509Bundle elsewhere = new CertificateBuilder().subject("CN=elsewhere").addSanDnsName("elsewhere.example")
                .addExtendedKeyUsageServerAuth().ecp256().buildIssuedBy(ca);
        X509Bundle client = new CertificateBuilder().subject("CN=worker-1").addExtendedKeyUsageClientAuth().ecp256()
                .buildIssuedBy(ca);
        X509Bundle stranger = new CertificateBuilder().subject("CN=stranger").addExtendedKeyUsageClientAuth().ecp256()
                .buildIssuedBy(otherCa);

        serverTls = new TlsConfig(write("server.pem", server.getCertificatePathPEM()),
                write("server.key", server.getPrivateKeyPEM()), caPem, true);
        serverNamedElsewhere = new TlsConfig(write("elsewhere.pem", elsewhere.getCertificatePathPEM()),
                write("elsewhere.key", elsewhere.getPrivateKeyPEM()), caPem, false);
        trustedClient = new TlsConfig(write("client.pem", client.getCertificatePathPEM()),
                write("client.key", client.getPrivateKeyPEM()), caPem, false);
        clientWithoutCertificate = new TlsConfig(null, null, caPem, false);
        clientFromAnotherCa = new TlsConfig(write("stranger.pem", stranger.getCertificatePathPEM()),
                write("stranger.key", stranger.getPrivateKeyPEM()), caPem, false);
        clientTrustingAnotherCa = new TlsConfig(trustedClient.certificate(), trustedClient.privateKey(), otherCaPem, false);
    }

    private static Path write(String name, String pem) throws IOException {
        return Files.writeString(dir.resolve(name), pem);
    }

    @AfterEach
    void stop() {
        clients.close();
        if (fixture != null) {
            fixture.close();
        }
    }

    private Throwable failedConnect(TransportConfig clientConfig) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> fixture
                .connect(clients, clientConfig, Samples.hello(Role.WORKER, "w"), new Recorder()).get(8, TimeUnit.SECONDS));
        return failed.getCause();
    }

    @Test
    void aClientWithACertificateFromTheCaIsServed() throws Exception {
        fixture = new ServerFixture(TransportConfig.defaults().withTls(serverTls), true);
        Recorder client = new Recorder();
        ClientLink link = fixture.connect(clients, TransportConfig.defaults().withTls(trustedClient),
                Samples.hello(Role.WORKER, "w"), client).get(20, TimeUnit.SECONDS);

        List<org.weft.protocol.Message> sent = Samples.workerMessages();
        link.send(sent);

        Samples.assertSameMessages(sent, client.next(sent.size()));
        assertEquals(1, fixture.stats().get(Counter.CONNECTIONS_ACCEPTED));
        assertEquals(0, fixture.stats().get(Counter.REFUSED_TLS));
    }

    @Test
    void aPlainClientToATlsServerFailsAtOnce() throws IOException {
        fixture = new ServerFixture(TransportConfig.defaults().withTls(serverTls), true);

        assertInstanceOf(IOException.class, failedConnect(TransportConfig.defaults()));
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.stats().get(Counter.REFUSED_TLS) == 1);
    }

    @Test
    void clientsWithoutACertificateFromTheCaAreRefusedWhenOneIsRequired() throws IOException {
        fixture = new ServerFixture(TransportConfig.defaults().withTls(serverTls), true);

        assertInstanceOf(IOException.class, failedConnect(TransportConfig.defaults().withTls(clientFromAnotherCa)));
        assertInstanceOf(IOException.class, failedConnect(TransportConfig.defaults().withTls(clientWithoutCertificate)));
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.stats().get(Counter.REFUSED_TLS) == 2);
        assertEquals(0, fixture.stats().get(Counter.CONNECTIONS_ACCEPTED));
    }

    @Test
    void aClientWithoutACertificateIsServedWhenNoneIsRequired() throws Exception {
        TlsConfig optional = new TlsConfig(serverTls.certificate(), serverTls.privateKey(), serverTls.trustedCa(), false);
        fixture = new ServerFixture(TransportConfig.defaults().withTls(optional), true);
        Recorder client = new Recorder();
        ClientLink link = fixture.connect(clients, TransportConfig.defaults().withTls(clientWithoutCertificate),
                Samples.hello(Role.WORKER, "w"), client).get(20, TimeUnit.SECONDS);

        link.send(new WorkerMessage.LongRunning("k", "s"));

        assertEquals(new WorkerMessage.LongRunning("k", "s"), client.next());
    }

    @Test
    void theClientChecksTheServersCertificate() throws IOException {
        fixture = new ServerFixture(TransportConfig.defaults().withTls(serverTls), true);
        Throwable untrusted = failedConnect(TransportConfig.defaults().withTls(clientTrustingAnotherCa));
        assertInstanceOf(IOException.class, untrusted);
        assertEquals(1, clients.stats().get(Counter.REFUSED_TLS));
        fixture.close();

        fixture = new ServerFixture(TransportConfig.defaults().withTls(serverNamedElsewhere), true);
        Throwable wrongName = failedConnect(TransportConfig.defaults().withTls(trustedClient));
        assertInstanceOf(IOException.class, wrongName);
        assertTrue(wrongName.getMessage().contains("TLS"), wrongName.getMessage());
    }
}
