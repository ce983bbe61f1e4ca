package org.weft.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The installation folder and the places in it. */
final class WeftHome {

    static final String PROPERTY = "weft.home";
    static final String PLACEHOLDER = "${weft.home}";
    /** The process's data folder in conf/ files: data/ for local, demo and scheduler, data/worker-PID for a worker. */
    static final String DATA_PLACEHOLDER = "${weft.data}";

    private final Path root;
    private final Path data;
    /** Holds the bundle cache (cache/) and what belongs with it; the data folder unless a worker's pool slot. */
    private final Path cacheFolder;

    WeftHome(Path root) {
        this(root, null, null);
    }

    private WeftHome(Path root, Path data, Path cacheFolder) {
        this.root = root.toAbsolutePath().normalize();
        this.data = data != null ? data.toAbsolutePath().normalize() : this.root.resolve("data");
        this.cacheFolder = cacheFolder != null ? cacheFolder.toAbsolutePath().normalize() : this.data;
    }

    /** The same installation with another data folder (cache, logs, tmp): a worker process's own. */
    WeftHome withData(Path folder) {
        return new WeftHome(root, folder, null);
    }

    /** The same with the bundle cache, its stamps and its owner in {@code folder} (a worker's pool slot). */
    WeftHome withCacheFolder(Path folder) {
        return new WeftHome(root, data, folder);
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
        return data;
    }

    /** Where {@link #cache()}, the deployed jars' stamps and the cache's owner are. */
    Path cacheFolder() {
        return cacheFolder;
    }

    Path cache() {
        return cacheFolder.resolve("cache");
    }

    Path log() {
        return data().resolve("log");
    }

    /** The root with forward slashes, safe inside properties files and file: URLs. */
    String portable() {
        return root.toString().replace('\\', '/');
    }

    /** The data folder with forward slashes. */
    String portableData() {
        return data.toString().replace('\\', '/');
    }

    String substitute(String text) {
        return text.replace(PLACEHOLDER, portable()).replace(DATA_PLACEHOLDER, portableData());
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
