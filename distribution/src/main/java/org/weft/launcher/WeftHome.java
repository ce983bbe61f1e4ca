package org.weft.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The installation folder and the places in it. */
final class WeftHome {

    static final String PROPERTY = "weft.home";
    static final String PLACEHOLDER = "${weft.home}";

    private final Path root;

    WeftHome(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** From {@code -Dweft.home} (set by bin/weft), else the folder above the launcher jar's lib/. */
    static WeftHome fromSystemProperty() {
        String home = System.getProperty(PROPERTY);
        if (home != null && !home.isBlank()) {
            return new WeftHome(Path.of(home));
        }
        try {
            Path jar = Path.of(WeftHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new WeftHome(jar.getParent().getParent());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("weft.home is not set and cannot be derived: run bin/weft", e);
        }
    }

    Path root() {
        return root;
    }

    Path conf() {
        return root.resolve("conf");
    }

    Path bundles() {
        return root.resolve("bundle");
    }

    Path plugins() {
        return root.resolve("plugins");
    }

    Path etc() {
        return root.resolve("etc");
    }

    Path data() {
        return root.resolve("data");
    }

    Path cache() {
        return data().resolve("cache");
    }

    Path log() {
        return data().resolve("log");
    }

    /** The root with forward slashes, safe inside properties files and file: URLs. */
    String portable() {
        return root.toString().replace('\\', '/');
    }

    String substitute(String text) {
        return text.replace(PLACEHOLDER, portable());
    }

    /** Creates what a run needs: data/log, data/cache, plugins/, etc/. */
    void prepare() throws IOException {
        Files.createDirectories(log());
        Files.createDirectories(cache());
        Files.createDirectories(plugins());
        Files.createDirectories(etc());
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
