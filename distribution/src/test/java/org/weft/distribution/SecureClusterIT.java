package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

/**
 * The token and TLS options of bin/weft end to end: a scheduler that requires a token and client
 * certificates from its CA, two workers and weft submit presenting them (results cross between the
 * workers over TLS too), and clients without the token or the certificate refused.
 */
class SecureClusterIT {

    private static final Pattern RESULT = Pattern.compile("(\\S+) = (.*)");

    @RegisterExtension
    static final WeftProcess.Group processes = new WeftProcess.Group();

    static Path token;
    static Path wrongToken;
    static Path ca;
    static Path nodeCert;
    static Path nodeKey;
    static Path clientCert;
    static Path clientKey;
    static String secret;

    @BeforeAll
    static void certificatesAndToken() throws Exception {
        secret = "weft-secret-" + System.nanoTime();
        token = write("token.txt", secret + "\n");
        wrongToken = write("wrong-token.txt", "not-the-token\n");
        X509Bundle authority = new CertificateBuilder().subject("CN=weft test CA").setIsCertificateAuthority(true)
                .ecp256().buildSelfSigned();
        ca = write("ca.pem", authority.getCertificatePEM());
        // scheduler and workers: servers (to workers, clients and peers) and clients (of the scheduler and peers)
        X509Bundle node = new CertificateBuilder().subject("CN=weft node").addSanIpAddress("127.0.0.1")
                .addSanDnsName("localhost").addExtendedKeyUsageServerAuth().addExtendedKeyUsageClientAuth().ecp256()
                .buildIssuedBy(authority);
        nodeCert = write("node.pem", node.getCertificatePathPEM());
        nodeKey = write("node.key", node.getPrivateKeyPEM());
        X509Bundle client = new CertificateBuilder().subject("CN=weft client").addExtendedKeyUsageClientAuth().ecp256()
                .buildIssuedBy(authority);
        clientCert = write("client.pem", client.getCertificatePathPEM());
        clientKey = write("client.key", client.getPrivateKeyPEM());
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(processes.dir().resolve(name), text);
    }

    @Test
    void aClusterWithATokenAndMutualTls() throws Exception {
        WeftProcess scheduler = processes.start("scheduler", with(List.of("scheduler", "--port", "0", "--no-console"),
                "--token-file", token, "--tls-cert", nodeCert, "--tls-key", nodeKey, "--tls-ca", ca,
                "--tls-require-client-cert"));
        String address = scheduler.awaitLine("scheduler at (tcp://127\\.0\\.0\\.1:\\d+)").group(1);
        List<WeftProcess> workers = new ArrayList<>();
        for (String[] w : new String[][] {{"w1", "A=1"}, {"w2", "B=1"}}) {
            WeftProcess worker = processes.start(w[0], with(List.of("worker", address, "--name", w[0], "--resources", w[1],
                    "--nthreads", "1", "--no-console"), "--token-file", token, "--tls-cert", nodeCert, "--tls-key", nodeKey,
                    "--tls-ca", ca));
            worker.awaitLine("worker " + w[0] + " at tcp://\\S+ joined " + Pattern.quote(address));
            workers.add(worker);
        }
        Path graph = write("graph.json", """
                {"tasks": {
                   "a": {"fn": "inc", "args": [1], "resources": {"A": 1}},
                   "b": {"fn": "inc", "args": [10], "resources": {"B": 1}},
                   "c": {"fn": "add", "args": [{"ref": "a"}, {"ref": "b"}], "resources": {"A": 1}}},
                 "keys": ["c"]}
                """);
        List<String> submit = List.of("submit", graph.toString(), "--scheduler", address);

        WeftProcess trusted = processes.start("submit", with(submit, "--token-file", token, "--tls-ca", ca,
                "--tls-cert", clientCert, "--tls-key", clientKey));
        assertEquals(0, trusted.awaitExit(WeftProcess.TIMEOUT), trusted.describe());
        assertEquals(Map.of("c", "13"), results(trusted), trusted.describe());

        WeftProcess noToken = processes.start("submit-no-token", with(submit, "--tls-ca", ca,
                "--tls-cert", clientCert, "--tls-key", clientKey));
        assertEquals(3, noToken.awaitExit(WeftProcess.TIMEOUT), "refused without the token: " + noToken.describe());
        WeftProcess wrong = processes.start("submit-wrong-token", with(submit, "--token-file", wrongToken,
                "--tls-ca", ca, "--tls-cert", clientCert, "--tls-key", clientKey));
        assertEquals(3, wrong.awaitExit(WeftProcess.TIMEOUT), "refused with another token: " + wrong.describe());
        WeftProcess noCertificate = processes.start("submit-no-certificate", with(submit, "--token-file", token,
                "--tls-ca", ca));
        assertEquals(3, noCertificate.awaitExit(WeftProcess.TIMEOUT), "refused without a certificate: "
                + noCertificate.describe());
        WeftProcess plain = processes.start("submit-plain", with(submit, "--token-file", token));
        assertEquals(3, plain.awaitExit(WeftProcess.TIMEOUT), "refused without TLS: " + plain.describe());

        List<String> everything = new ArrayList<>();
        for (WeftProcess p : List.of(scheduler, workers.get(0), workers.get(1), trusted, noToken, wrong, noCertificate, plain)) {
            everything.add(p.stdout());
            everything.add(p.stderr());
        }
        try (var logs = Files.walk(processes.weft().home().resolve("data"))) {
            for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("weft.log")).toList()) {
                everything.add(WeftInstall.read(log));
            }
        }
        for (String text : everything) {
            assertFalse(text.contains(secret), "the token is never printed or logged:\n" + text);
        }
        assertTrue(everything.size() > 16, "the logs were read");
    }

    private static String[] with(List<String> args, Object... optionsAndValues) {
        List<String> all = new ArrayList<>(args);
        for (Object o : optionsAndValues) {
            all.add(o.toString());
        }
        return all.toArray(String[]::new);
    }

    private static Map<String, String> results(WeftProcess submit) {
        Map<String, String> results = new java.util.LinkedHashMap<>();
        submit.stdout().lines().map(RESULT::matcher).filter(Matcher::matches).forEach(m -> results.put(m.group(1), m.group(2)));
        return results;
    }
}
