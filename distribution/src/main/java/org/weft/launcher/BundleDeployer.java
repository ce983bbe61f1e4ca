package org.weft.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Brings the installed runtime in line with bundle/: the folder number is the start level. A
 * worker process or a nanny leaves out the runtime bundles only other kinds run ({@link ModeBundles}).
 * Runs after {@code Framework.init()}, before {@code start()}, so nothing is resolved yet.
 *
 * <p>Bundles are installed by their plain {@code file:} URL, into the persistent cache. Only
 * bundles whose location lies under bundle/ are the launcher's: those from the shell or from
 * FileInstall (plugins/) are never touched here.
 */
final class BundleDeployer {

    private static final Logger LOG = Logger.getLogger(BundleDeployer.class.getName());

    private final BundleContext context;
    private final Path bundleDir;
    private final Path stampFile;
    private final StartupProblems problems;
    /** The symbolic names this kind of process leaves out ({@link ModeBundles}); empty: none. */
    private final Set<String> leftOut;
    /** The symbolic names installed but not started (the shell without a console); empty: none. */
    private final Set<String> notStarted;
    /** Whether bundles not from bundle/ (the shell's, a scheduler's depot's, preloads) are uninstalled too. */
    private final boolean onlyRuntime;

    /**
     * @param stampFile where the size and time of each deployed jar are kept between runs
     * @param leftOut the symbolic names of bundle/'s bundles this kind of process does not run
     * @param notStarted the symbolic names of bundle/'s bundles installed but not started this time
     * @param onlyRuntime whether every bundle of the cache not from bundle/ is uninstalled (a
     *        worker process or nanny, whose reused cache must start as a fresh one)
     */
    BundleDeployer(BundleContext context, Path bundleDir, Path stampFile, StartupProblems problems,
            Set<String> leftOut, Set<String> notStarted, boolean onlyRuntime) {
        this.context = context;
        this.bundleDir = bundleDir;
        this.stampFile = stampFile;
        this.problems = problems;
        this.leftOut = leftOut;
        this.notStarted = notStarted;
        this.onlyRuntime = onlyRuntime;
    }

    List<DeployedBundle> deploy() throws IOException {
        Map<String, Jar> jars = scan();
        Map<String, Bundle> installed = new HashMap<>();
        String prefix = location(bundleDir);
        for (Bundle bundle : context.getBundles()) {
            String location = bundle.getLocation();
            if (location.startsWith(prefix) ? !jars.containsKey(location) : onlyRuntime && bundle.getBundleId() != 0) {
                uninstallGone(bundle);
            } else {
                installed.put(location, bundle);
            }
        }
        Properties stamps = loadStamps();
        Properties newStamps = new Properties();
        List<DeployedBundle> deployed = new ArrayList<>();
        for (Jar jar : jars.values()) {
            try {
                deployed.add(deploy(jar, installed.get(jar.location()), stamps.getProperty(jar.location())));
                newStamps.setProperty(jar.location(), jar.stamp());
            } catch (BundleException | RuntimeException e) {
                problems.installFailed(bundleDir.relativize(jar.path()).toString(), e);
            }
        }
        saveStamps(newStamps);
        return deployed;
    }

    private DeployedBundle deploy(Jar jar, Bundle existing, String knownStamp) throws BundleException, IOException {
        Bundle bundle = existing != null ? existing : context.installBundle(jar.location());
        if (existing == null) {
            LOG.fine(() -> "Installed " + jar.path());
        } else if (changed(jar, existing, knownStamp)) {
            existing.update();
            LOG.info(() -> "Updated " + existing.getSymbolicName() + " from " + jar.path());
        }
        bundle.adapt(BundleStartLevel.class).setStartLevel(jar.startLevel());
        boolean fragment = (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
        boolean idle = notStarted.contains(bundle.getSymbolicName());
        if (fragment) {
            // attached to its host, never started itself
        } else if (idle) {
            // Not running yet (level 0): this only clears the mark a start with a console left in
            // a persistent cache, so the bundle stays installed and resolved, not started.
            bundle.stop();
        } else {
            // The framework is still at start level 0: this marks the bundle to be started when
            // its level is reached; failures then arrive as FrameworkEvent.ERROR.
            bundle.start();
        }
        return new DeployedBundle(bundle, bundleDir.relativize(jar.path()).toString(), jar.startLevel(), fragment || idle);
    }

    /**
     * A jar is changed when its size, time or ctime differs from the last run's. The time alone would not
     * do: archives made by reproducible builds carry one fixed time, possibly older than the
     * installed bundle. Without a record (first run with this cache), newer than the bundle counts.
     */
    private static boolean changed(Jar jar, Bundle bundle, String knownStamp) {
        return knownStamp != null ? !knownStamp.equals(jar.stamp()) : jar.modified() > bundle.getLastModified();
    }

    private Properties loadStamps() throws IOException {
        Properties stamps = new Properties();
        if (Files.isRegularFile(stampFile)) {
            try (InputStream in = Files.newInputStream(stampFile)) {
                stamps.load(in);
            }
        }
        return stamps;
    }

    private void saveStamps(Properties stamps) throws IOException {
        try (OutputStream out = Files.newOutputStream(stampFile)) {
            stamps.store(out, "bundle/ jars deployed by bin/weft: location = modified:size:ctime");
        }
    }

    private void uninstallGone(Bundle bundle) {
        try {
            String name = bundle.getSymbolicName();
            bundle.uninstall();
            LOG.info(() -> "Uninstalled " + name + ": " + bundle.getLocation() + (onlyRuntime && !bundle.getLocation()
                    .startsWith(location(bundleDir)) ? " is not in bundle/ (this process starts with bundle/'s only)" : " is gone"));
        } catch (BundleException e) {
            LOG.warning(() -> "Cannot uninstall " + bundle.getLocation() + ": " + e.getMessage());
        }
    }

    /** bundle/&lt;n&gt;/*.jar by location (those this kind of process runs), in start-level then file-name order. */
    private Map<String, Jar> scan() throws IOException {
        List<Jar> ordered = new ArrayList<>();
        if (!Files.isDirectory(bundleDir)) {
            throw new IOException("missing " + bundleDir + ": is this a Weft installation?");
        }
        try (Stream<Path> levels = Files.list(bundleDir)) {
            for (Path level : levels.filter(Files::isDirectory).toList()) {
                int startLevel = parseLevel(level);
                if (startLevel < 1) {
                    LOG.warning(() -> "Ignoring " + level + ": bundle/ holds only start-level folders 1, 2, ...");
                    continue;
                }
                try (Stream<Path> files = Files.list(level)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                            .toList()) {
                        if (leftOut.isEmpty() || !leftOut.contains(ModeBundles.symbolicName(f))) {
                            ordered.add(Jar.of(f, startLevel));
                        }
                    }
                }
            }
        }
        ordered.sort((a, b) -> a.startLevel() != b.startLevel()
                ? Integer.compare(a.startLevel(), b.startLevel()) : a.path().compareTo(b.path()));
        Map<String, Jar> jars = new LinkedHashMap<>();
        ordered.forEach(jar -> jars.put(jar.location(), jar));
        return jars;
    }

    private static int parseLevel(Path folder) {
        try {
            return Integer.parseInt(folder.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The same form FileInstall uses: {@code file:/abs/path}. */
    static String location(Path path) {
        return path.toAbsolutePath().normalize().toFile().toURI().toString();
    }

    /**
     * A jar of bundle/, with its stamp: modification time, size and, where the file system has one,
     * the time its inode last changed (ctime), which no copy, unpacking or {@code touch} can set back:
     * a jar replaced by one of the same size and time (a reproducible build's, unpacked from a tar
     * that keeps times) is still seen as changed.
     */
    private record Jar(Path path, String location, int startLevel, long modified, long size, long changed) {

        static Jar of(Path path, int startLevel) {
            try {
                return new Jar(path, BundleDeployer.location(path), startLevel,
                        Files.getLastModifiedTime(path).toMillis(), Files.size(path), inodeChanged(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static long inodeChanged(Path path) throws IOException {
            try {
                return ((java.nio.file.attribute.FileTime) Files.getAttribute(path, "unix:ctime")).to(java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                return 0; // no such attribute here: time and size only
            }
        }

        String stamp() {
            return modified + ":" + size + ":" + changed;
        }
    }
}
