package org.weft.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Keeps the plugins installed from the shell when the installation was moved or copied. The bundle
 * cache of a moved installation names jars in the old folder (bundle/, plugins/), so the framework
 * starts with a clean cache; before it is cleaned, this copies out the jar of every bundle whose
 * location is not in the old folder's bundle/ or plugins/ (those come back from the new folder),
 * and after the framework's init installs each again from that copy, under its location, at its
 * start level, started if it was.
 *
 * <p>Reads Felix's cache layout: {@code data/cache/bundle<id>/bundle.info} holds the id, the
 * location, the persistent state and the start level, one a line; {@code version<n>.<m>/bundle.jar}
 * is each revision's jar, the highest the current one.
 */
final class MovedInstallation {

    private static final Logger LOG = Logger.getLogger(MovedInstallation.class.getName());

    private final List<Kept> kept;

    private MovedInstallation(List<Kept> kept) {
        this.kept = kept;
    }

    /** A shell-installed bundle of the old cache, its jar copied to {@code jar}. */
    record Kept(String location, int startLevel, boolean active, String name, Path jar) {
    }

    /**
     * Copies the shell-installed bundles out of {@code home}'s cache, which belonged to the
     * installation at {@code oldRoot}. Runs before the framework cleans the cache.
     */
    static MovedInstallation save(WeftHome home, String oldRoot) throws IOException {
        Path cache = home.cache();
        Path saved = home.data().resolve("tmp/moved-plugins");
        Files.createDirectories(saved);
        WeftHome old = new WeftHome(Path.of(oldRoot));
        String oldBundles = BundleDeployer.location(old.bundles());
        String oldPlugins = BundleDeployer.location(old.plugins());
        List<Kept> kept = new ArrayList<>();
        if (Files.isDirectory(cache)) {
            try (Stream<Path> dirs = Files.list(cache)) {
                for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("bundle[1-9][0-9]*")).sorted().toList()) {
                    List<String> info = readInfo(dir);
                    if (info.size() < 4 || info.get(1).startsWith(oldBundles) || info.get(1).startsWith(oldPlugins)) {
                        continue;
                    }
                    Optional<Path> jar = currentJar(dir);
                    String location = info.get(1);
                    if (jar.isEmpty()) {
                        LOG.warning(() -> "The installation moved: the plugin installed from " + location
                                + " has no jar in the old cache; install it again");
                        continue;
                    }
                    Path copy = saved.resolve(dir.getFileName() + ".jar");
                    Files.copy(jar.get(), copy, StandardCopyOption.REPLACE_EXISTING);
                    kept.add(new Kept(location, parseInt(info.get(3), 1), parseInt(info.get(2), 0) == Bundle.ACTIVE,
                            Optional.ofNullable(PluginJar.symbolicName(copy)).orElse(location), copy));
                }
            }
        }
        return new MovedInstallation(kept);
    }

    /** Installs the saved bundles into the new, clean cache. Runs after {@code Framework.init()}. */
    void restore(BundleContext system) {
        for (Kept k : kept) {
            try (InputStream in = Files.newInputStream(k.jar())) {
                Bundle bundle = system.installBundle(k.location(), in);
                bundle.adapt(BundleStartLevel.class).setStartLevel(k.startLevel());
                if (k.active()) {
                    bundle.start();
                }
                LOG.info(() -> "The installation moved: kept " + k.name() + ", installed from the shell from "
                        + k.location());
            } catch (IOException | BundleException | RuntimeException e) {
                LOG.log(Level.WARNING, e, () -> "The installation moved: cannot keep " + k.name() + " (installed from "
                        + k.location() + "): " + e.getMessage() + "; install it again");
            }
            try {
                Files.deleteIfExists(k.jar());
            } catch (IOException e) {
                LOG.fine(() -> "cannot delete " + k.jar() + ": " + e);
            }
        }
    }

    List<Kept> kept() {
        return kept;
    }

    private static List<String> readInfo(Path dir) {
        try {
            return Files.readAllLines(dir.resolve("bundle.info"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The jar of the highest revision folder ({@code version0.0}, {@code version0.1}, ...). */
    private static Optional<Path> currentJar(Path dir) throws IOException {
        try (Stream<Path> revisions = Files.list(dir)) {
            return revisions.filter(r -> r.getFileName().toString().startsWith("version"))
                    .filter(r -> Files.isRegularFile(r.resolve("bundle.jar")))
                    .max(Comparator.comparingLong((Path r) -> revision(r, 0)).thenComparingLong(r -> revision(r, 1)))
                    .map(r -> r.resolve("bundle.jar"));
        }
    }

    /** {@code version1.3}: part 0 is 1, part 1 is 3 (Felix's refresh count, then the revision). */
    private static long revision(Path folder, int part) {
        String[] parts = folder.getFileName().toString().substring("version".length()).split("\\.");
        return parts.length > part ? parseInt(parts[part], 0) : 0;
    }

    private static int parseInt(String text, int fallback) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
