package org.weft.launcher;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Waits, at start-up, until FileInstall has turned every {@code etc/*.cfg} file into a
 * ConfigAdmin configuration, so the Weft bundles (one start level higher) start with their
 * settings rather than their defaults. The launcher lives outside the framework and does not
 * share its ConfigAdmin classes, so it asks the service reflectively.
 */
final class EtcConfigWait {

    private static final Logger LOG = Logger.getLogger(EtcConfigWait.class.getName());
    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";

    private EtcConfigWait() {
    }

    /** The {@code *.cfg} files in {@code etc}, sorted by name; empty if there is no such folder. */
    static List<String> cfgFiles(Path etc) throws IOException {
        if (!Files.isDirectory(etc)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(etc)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cfg")).sorted().toList();
        }
    }

    /**
     * Blocks until each file has a configuration or {@code timeoutMillis} pass.
     *
     * @return the files still without a configuration (empty when all arrived)
     */
    static List<String> await(BundleContext system, Path etc, long timeoutMillis) throws IOException {
        List<String> waiting = new ArrayList<>(cfgFiles(etc));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!waiting.isEmpty()) {
            waiting.removeIf(name -> configured(system, name));
            if (waiting.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!waiting.isEmpty()) {
            LOG.warning(() -> "etc/ files not yet applied after " + timeoutMillis + " ms: " + waiting
                    + "; Weft starts with their defaults and applies them when they arrive");
        }
        return waiting;
    }

    /** Whether ConfigAdmin holds a configuration FileInstall made from {@code etc/<name>}. */
    private static boolean configured(BundleContext system, String name) {
        ServiceReference<?> ref = system.getServiceReference(CONFIGURATION_ADMIN);
        if (ref == null) {
            return false;
        }
        Object admin = system.getService(ref);
        if (admin == null) {
            return false;
        }
        try {
            Class<?> type = ref.getBundle().loadClass(CONFIGURATION_ADMIN);
            Method list = type.getMethod("listConfigurations", String.class);
            Object found = list.invoke(admin, "(felix.fileinstall.filename=*/" + name + ")");
            return found != null && java.lang.reflect.Array.getLength(found) > 0;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.fine(() -> "cannot ask ConfigAdmin about etc/" + name + ": " + e);
            return false;
        } finally {
            system.ungetService(ref);
        }
    }
}
