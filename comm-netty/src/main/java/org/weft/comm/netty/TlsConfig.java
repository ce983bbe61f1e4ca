package org.weft.comm.netty;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS for a link, from PEM files. A server presents {@code certificate} and, with {@code
 * requireClientCertificate}, demands a client certificate issued by {@code trustedCa}. A client
 * trusts the servers whose certificate {@code trustedCa} issued and whose name or IP matches the
 * address it connects to; it presents {@code certificate} when one is given.
 *
 * @param certificate this side's certificate (chain), PEM; may be null on a client that presents none
 * @param privateKey its private key, PEM (PKCS#8, unencrypted); null exactly when {@code certificate} is
 * @param trustedCa the certificate authority that issues the peers' certificates, PEM
 * @param requireClientCertificate on a server: refuse a client without a certificate from {@code trustedCa}
 */
public record TlsConfig(Path certificate, Path privateKey, Path trustedCa, boolean requireClientCertificate) {
    public TlsConfig {
        Objects.requireNonNull(trustedCa, "trustedCa");
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("a TLS certificate needs its private key, and a key its certificate");
        }
    }
}
