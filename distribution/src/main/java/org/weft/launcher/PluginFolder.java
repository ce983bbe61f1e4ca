package org.weft.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The hot-deploy folder plugins/: a jar put there is installed and started, a replaced one updates
 * its bundle in place (a stop and start, which the plugin host bridges without losing an event),
 * a deleted one is uninstalled, also when it changed while Weft was down.
 *
 * <p>A file is taken only once it is a complete bundle ({@link PluginJar}): a jar still being
 * copied (a slow copy, a network file system), a damaged one or a plain jar never displaces the
 * running revision; it is reported once, on the console and in the log, naming the file and why,
 * and taken when a later change makes it whole. While Weft runs, a file is also looked at only when
 * its size and time held still over one poll. The bytes checked are the bytes installed: the file
 * is copied to data/tmp first.
 */
final class PluginFolder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginFolder.class.getName());
    /** Start level of the plugins from plugins/: with ConfigAdmin, before the Weft bundles. */
    static final int START_LEVEL = 3;
    static final String POLL_PROPERTY = "weft.plugins.poll";

    private final BundleContext context;
    private final Path dir;
    private final Path tmp;
    private final Path stampFile;
    /** Per location, the size and time of the file its bundle was installed or updated from. */
    private final Properties stamps = new Properties();
    /** Per file, its size and time at the last scan. */
    private final Map<Path, String> lastSeen = new HashMap<>();
    /** Per file, the size and time of the version already reported as not taken. */
    private final Map<Path, String> reported = new HashMap<>();
    private ScheduledExecutorService poller;

    PluginFolder(BundleContext context, Path dir, Path tmp, Path stampFile) throws IOException {
        this.context = context;
        this.dir = dir;
        this.tmp = tmp;
        this.stampFile = stampFile;
        if (Files.isRegularFile(stampFile)) {
            try (InputStream in = Files.newInputStream(stampFile)) {
                stamps.load(in);
            }
        }
    }

    /** Brings the bundles in line with the folder once, at start-up: nothing there is still being written. */
    void scanNow() {
        scan(true);
    }

    /** From now on, looks at the folder every {@code pollMillis}. */
    void watch(long pollMillis) {
        poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "weft-plugins");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> scan(false), pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private synchronized void scan(boolean atStart) {
        try {
            List<Path> jars = jars();
            for (Path jar : jars) {
                String stamp = stamp(jar);
                String before = lastSeen.put(jar, stamp);
                if (stamp != null && (atStart || stamp.equals(before))) {
                    take(jar, stamp);
                }
            }
            lastSeen.keySet().retainAll(jars);
            reported.keySet().retainAll(jars);
            uninstallDeleted();
        } catch (IllegalStateException stopping) {
            LOG.fine(() -> "plugins/ not scanned: the framework is stopping (" + stopping.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Cannot scan " + dir + ": " + e);
        }
    }

    /** Installs or updates the bundle of {@code jar} unless it is up to date or not a complete bundle. */
    private void take(Path jar, String stamp) throws IOException {
        String location = BundleDeployer.location(jar);
        Bundle bundle = context.getBundle(location);
        if (bundle != null && upToDate(bundle, jar, stamp, location)) {
            return;
        }
        if (stamp.equals(reported.get(jar))) {
            return;
        }
        String name = "plugins/" + jar.getFileName();
        Files.createDirectories(tmp);
        Path copy = Files.createTempFile(tmp, "plugin-", ".jar");
        try {
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            String problem = PluginJar.problem(copy);
            if (problem != null) {
                reported.put(jar, stamp);
                LOG.warning(() -> name + " is " + (bundle == null ? "not installed: " : "not taken, "
                        + describe(bundle) + " keeps running: ") + problem);
                return;
            }
            if (!install(name, location, bundle, copy)) {
                reported.put(jar, stamp);
            }
            if (context.getBundle(location) != null) {
                stamps.setProperty(location, stamp);
                saveStamps();
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** @return whether it is installed and started; if not, the reason was logged */
    private boolean install(String name, String location, Bundle existing, Path copy) throws IOException {
        Bundle bundle = existing;
        try (InputStream in = Files.newInputStream(copy)) {
            if (existing == null) {
                bundle = context.installBundle(location, in);
                bundle.adapt(BundleStartLevel.class).setStartLevel(START_LEVEL);
            } else {
                existing.update(in);
                refreshIfPending(existing);
            }
            bundle.start();
            Bundle done = bundle;
            LOG.info(() -> (existing == null ? "Installed " : "Updated ") + describe(done) + " from " + name);
            return true;
        } catch (BundleException e) {
            Bundle failed = bundle;
            LOG.log(Level.WARNING, e, () -> name + (failed == null ? " is not installed: " : " (" + describe(failed)
                    + ") is not started: ") + StartupProblems.message(e));
            return false;
        }
    }

    /** The previous revision stays until a refresh when another bundle is wired to it. */
    private void refreshIfPending(Bundle bundle) {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        if (wiring.getRemovalPendingBundles().contains(bundle)) {
            wiring.refreshBundles(List.of(bundle));
        }
    }

    /**
     * Up to date when installed from a file of this size and time; without a record (a cache from
     * before records were kept), when the bundle is not older than the file.
     */
    private boolean upToDate(Bundle bundle, Path jar, String stamp, String location) throws IOException {
        String known = stamps.getProperty(location);
        return known != null ? known.equals(stamp)
                : Files.getLastModifiedTime(jar).toMillis() <= bundle.getLastModified();
    }

    /** Uninstalls the bundles whose jar left the folder (while Weft ran or while it was down). */
    synchronized void uninstallDeleted() throws IOException {
        String prefix = BundleDeployer.location(dir);
        boolean changed = false;
        for (Bundle bundle : context.getBundles()) {
            String location = bundle.getLocation();
            if (location.startsWith(prefix) && !exists(location)) {
                try {
                    String description = describe(bundle);
                    bundle.uninstall();
                    LOG.info(() -> "Uninstalled " + description + ": " + location + " was deleted");
                } catch (BundleException e) {
                    LOG.warning(() -> "Cannot uninstall " + location + ": " + e.getMessage());
                }
                changed |= stamps.remove(location) != null;
            }
        }
        if (changed) {
            saveStamps();
        }
    }

    private List<Path> jars() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f)).sorted().toList();
        }
    }

    /** Size and time, or null when the file just went away. */
    private static String stamp(Path jar) {
        try {
            return Files.getLastModifiedTime(jar).toMillis() + ":" + Files.size(jar);
        } catch (IOException e) {
            return null;
        }
    }

    private void saveStamps() throws IOException {
        try (OutputStream out = Files.newOutputStream(stampFile)) {
            stamps.store(out, "plugins/ jars installed by bin/weft: location = modified:size");
        }
    }

    static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " [" + bundle.getBundleId() + "]";
    }

    private static boolean exists(String location) {
        try {
            return Files.exists(Path.of(URI.create(location)));
        } catch (IllegalArgumentException e) {
            return true; // not a plain file: URL; not ours to judge
        }
    }
}
