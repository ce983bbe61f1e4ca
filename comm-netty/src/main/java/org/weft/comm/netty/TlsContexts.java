package org.weft.comm.netty;

import java.io.IOException;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/** Netty TLS contexts from {@link TlsConfig}'s PEM files, on the JDK's TLS provider. */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslContext server(TlsConfig tls) throws IOException {
        if (tls.certificate() == null) {
            throw new IOException("a TLS server needs a certificate and its private key");
        }
        try {
            return SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile())
                    .trustManager(tls.trustedCa().toFile())
                    .clientAuth(tls.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE)
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS from " + tls + ": " + e.getMessage(), e);
        }
    }

    /** Trusts {@code trustedCa} and checks that the server's certificate names the host connected to. */
    static SslContext client(TlsConfig tls) throws IOException {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .trustManager(tls.trustedCa().toFile())
                    .endpointIdentificationAlgorithm("HTTPS")
                    .sslProvider(SslProvider.JDK);
            if (tls.certificate() != null) {
                builder.keyManager(tls.certificate().toFile(), tls.privateKey().toFile());
            }
            return builder.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS from " + tls + ": " + e.getMessage(), e);
        }
    }
}
