package org.weft.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/** The framework properties: conf/framework.properties, then weft.home, then the command's own. */
final class FrameworkConfig {

    static final String FILE = "framework.properties";
    /** Records which installation the cache belongs to; a moved installation starts clean. */
    private static final String CACHE_OWNER = "weft-home.txt";
    private static final Logger LOG = Logger.getLogger(FrameworkConfig.class.getName());

    private FrameworkConfig() {
    }

    static Map<String, String> load(WeftHome home, Map<String, String> commandProperties) throws IOException {
        Path file = home.conf().resolve(FILE);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IOException("missing " + file + ": is this a Weft installation?", e);
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            result.put(name, home.substitute(properties.getProperty(name)));
        }
        result.put(WeftHome.PROPERTY, home.portable());
        result.putAll(commandProperties);
        if (cacheFromElsewhere(home)) {
            // Bundle locations in the cache point into the old folder: start from a clean cache.
            result.put("org.osgi.framework.storage.clean", "onFirstInit");
        }
        return result;
    }

    private static boolean cacheFromElsewhere(WeftHome home) throws IOException {
        Path owner = home.data().resolve(CACHE_OWNER);
        String current = home.portable();
        String recorded = Files.exists(owner) ? Files.readString(owner, StandardCharsets.UTF_8).trim() : null;
        if (current.equals(recorded)) {
            return false;
        }
        Files.writeString(owner, current + System.lineSeparator(), StandardCharsets.UTF_8);
        if (recorded != null) {
            LOG.warning(() -> "The installation moved from " + recorded + " to " + current
                    + ": starting with a clean bundle cache (shell-installed plugins are forgotten)");
        }
        return recorded != null;
    }
}
