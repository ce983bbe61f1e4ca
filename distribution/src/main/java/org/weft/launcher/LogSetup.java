package org.weft.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.LogManager;

/** Loads conf/logging.properties into java.util.logging, before the framework starts. */
final class LogSetup {

    static final String FILE = "logging.properties";

    private LogSetup() {
    }

    /**
     * Selects {@link DeferredResetLogManager} unless the user chose another (JAVA_OPTS). Must run
     * before anything touches java.util.logging, and must not live in a LogManager subclass:
     * initializing one reads this property before the method could set it.
     */
    static void selectLogManager() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", DeferredResetLogManager.class.getName());
        }
    }

    static void configure(WeftHome home) throws IOException {
        Files.createDirectories(home.log());
        Path file = home.conf().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            System.err.println("weft: WARN no " + file + ": logging to the terminal only");
            return;
        }
        // '%' is special in FileHandler.pattern, so it is doubled in the substituted folder name.
        String text = Files.readString(file, StandardCharsets.UTF_8)
                .replace(WeftHome.PLACEHOLDER, home.portable().replace("%", "%%"))
                .replace(WeftHome.DATA_PLACEHOLDER, home.portableData().replace("%", "%%"));
        LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(latin1(text)));
        DeferredResetLogManager.deferResets();
    }

    /** Properties streams are ISO 8859-1: anything else is written as a unicode escape. */
    private static byte[] latin1(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            if (c < 0x100) {
                escaped.append((char) c);
            } else {
                escaped.append(String.format("\\u%04x", c));
            }
        });
        return escaped.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
