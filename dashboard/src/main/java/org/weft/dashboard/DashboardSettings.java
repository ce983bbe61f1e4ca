package org.weft.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The dashboard's settings, from framework properties that {@code bin/weft} sets:
 * {@code weft.dashboard} (the address {@code bin/weft local} and {@code scheduler} serve it at; absent,
 * as under {@code bin/weft demo}, or {@code off}, the launcher's {@code --no-dashboard}: no dashboard),
 * {@code weft.token} (the cluster token that plugin management asks for), {@code weft.home} and
 * {@code weft.data} (the installation and this process's data folder),
 * {@code weft.dashboard.maxUploadBytes} (largest bundle accepted, default 64 MiB).
 *
 * @param tokenFile where a generated token was written, or null when the cluster's token is used
 */
record DashboardSettings(boolean enabled, String token, Path tokenFile, Path home, Path data, long maxUploadBytes) {

    static final long DEFAULT_MAX_UPLOAD_BYTES = 64L << 20;
    static final String TOKEN_FILE = "dashboard-token";

    /**
     * Reads the properties; without a cluster token, makes one and writes it, readable by its owner
     * only, to {@code <data>/dashboard-token}.
     */
    static DashboardSettings read(Function<String, String> properties) throws IOException {
        String address = properties.apply("weft.dashboard");
        boolean enabled = address != null && !address.isBlank() && !"off".equalsIgnoreCase(address.trim());
        String home = properties.apply("weft.home");
        String dataProperty = properties.apply("weft.data");
        Path data = dataProperty != null ? Path.of(dataProperty)
                : Path.of(System.getProperty("java.io.tmpdir"), "weft-dashboard-" + ProcessHandle.current().pid());
        String limit = properties.apply("weft.dashboard.maxUploadBytes");
        long maxUpload;
        try {
            maxUpload = limit == null || limit.isBlank() ? DEFAULT_MAX_UPLOAD_BYTES : Long.parseLong(limit.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("weft.dashboard.maxUploadBytes must be a number of bytes, was '" + limit + "'");
        }
        if (maxUpload <= 0) {
            throw new IllegalArgumentException("weft.dashboard.maxUploadBytes must be positive, was " + maxUpload);
        }
        String token = properties.apply("weft.token");
        Path tokenFile = null;
        if (enabled && (token == null || token.isBlank())) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            token = HexFormat.of().formatHex(random);
            tokenFile = writeToken(data.resolve(TOKEN_FILE), token);
        }
        return new DashboardSettings(enabled, token, tokenFile, home == null ? null : Path.of(home), data, maxUpload);
    }

    private static Path writeToken(Path file, String token) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        return file;
    }
}
