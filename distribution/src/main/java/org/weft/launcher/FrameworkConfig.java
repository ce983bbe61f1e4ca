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
    /** The process's data folder (cache, log, tmp), for the runtime too. */
    static final String DATA_PROPERTY = "weft.data";
    /** Records which installation the cache belongs to; a moved installation starts clean (see MovedInstallation). */
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
        result.put(DATA_PROPERTY, home.portableData());
        result.putAll(commandProperties);
        return result;
    }

    /**
     * When the cache belongs to another folder (the installation was moved or copied), asks the
     * framework for a clean cache, since its bundle locations point into the old folder, and saves
     * the plugins installed from the shell to be installed again.
     *
     * @return those plugins, to {@link MovedInstallation#restore} after the framework's init;
     *         empty when the cache is this installation's
     */
    static java.util.Optional<MovedInstallation> cacheFromElsewhere(WeftHome home, Map<String, String> properties,
            boolean keepShellPlugins) throws IOException {
        Path owner = home.cacheFolder().resolve(CACHE_OWNER);
        String current = home.portable();
        String recorded = Files.exists(owner) ? Files.readString(owner, StandardCharsets.UTF_8).trim() : null;
        if (current.equals(recorded)) {
            return java.util.Optional.empty();
        }
        Files.writeString(owner, current + System.lineSeparator(), StandardCharsets.UTF_8);
        if (recorded == null) {
            return java.util.Optional.empty();
        }
        if (!keepShellPlugins) {
            properties.put("org.osgi.framework.storage.clean", "onFirstInit");
            LOG.info(() -> "The installation moved from " + recorded + " to " + current + ": starting with a clean bundle cache");
            return java.util.Optional.empty();
        }
        MovedInstallation moved = MovedInstallation.save(home, recorded);
        properties.put("org.osgi.framework.storage.clean", "onFirstInit");
        LOG.info(() -> "The installation moved from " + recorded + " to " + current + ": starting with a clean bundle"
                + " cache; plugins installed from the shell are installed again: "
                + moved.kept().stream().map(MovedInstallation.Kept::name).toList());
        return java.util.Optional.of(moved);
    }
}
