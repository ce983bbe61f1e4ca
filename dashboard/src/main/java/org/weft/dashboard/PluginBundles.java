package org.weft.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin bundles the Plugins page manages: install, update and remove, with the same checks
 * as the console's {@code install}. Only bundles installed while Weft runs (from the console or
 * from here) are changed: those under the installation's {@code bundle/} (the runtime) and
 * {@code plugins/} (watched by the launcher) are listed but left to their folders. An installed
 * jar is kept as {@code <data>/dashboard-plugins/<name>.jar} and installed from there, so it comes
 * back at the next start as a console-installed one does.
 */
final class PluginBundles {

    private static final Logger LOG = LoggerFactory.getLogger(PluginBundles.class);

    private final BundleContext context;
    private final Path store;
    private final List<Path> managedElsewhere;

    /**
     * @param home the installation folder ({@code weft.home}), or null outside the distribution
     * @param store where installed jars are kept
     */
    PluginBundles(BundleContext context, Path home, Path store) {
        this.context = context;
        this.store = store;
        this.managedElsewhere = home == null ? List.of()
                : List.of(normal(home.resolve("bundle")), normal(home.resolve("plugins")));
    }

    private static Path normal(Path folder) {
        return folder.toAbsolutePath().normalize();
    }

    /** What happened, for the page: a sentence, and the HTTP status. */
    record Outcome(int status, String message) {
    }

    /** Every bundle but the framework, with whether this page may change it. */
    List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0) {
                continue;
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", b.getBundleId());
            one.put("name", b.getSymbolicName());
            one.put("version", b.getVersion().toString());
            one.put("state", state(b.getState()));
            one.put("managedHere", managedHere(b));
            out.add(one);
        }
        return out;
    }

    boolean managedHere(Bundle b) {
        if (b.getBundleId() == 0 || b.getBundleId() == context.getBundle().getBundleId()) {
            return false;
        }
        Path file = fileOf(b.getLocation());
        return file == null || managedElsewhere.stream().noneMatch(file::startsWith);
    }

    /** The file a {@code file:} location names ({@code file:/a} and {@code file:///a} alike), or null. */
    static Path fileOf(String location) {
        try {
            URI uri = new URI(location);
            return "file".equals(uri.getScheme()) ? normal(Path.of(uri)) : null;
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    /** Installs and starts a checked jar; refused when a bundle of that name is there (update it instead). */
    Outcome install(Path upload) {
        BundleCheck check = BundleCheck.of(upload);
        if (check.problem() != null) {
            return new Outcome(400, "refused: " + check.problem());
        }
        Bundle existing = bySymbolicName(check.symbolicName());
        if (existing != null) {
            return new Outcome(409, "refused: " + check.symbolicName() + " is installed already (bundle "
                    + existing.getBundleId() + "): update it instead");
        }
        Bundle bundle;
        try {
            Path kept = keep(upload, check.symbolicName());
            try (InputStream in = Files.newInputStream(kept)) {
                bundle = context.installBundle(kept.toUri().toString(), in);
            }
        } catch (IOException | BundleException | RuntimeException e) {
            return new Outcome(500, "cannot install " + check.symbolicName() + ": " + e.getMessage());
        }
        LOG.info("dashboard: installed {} {} as bundle {}", check.symbolicName(), bundle.getVersion(), bundle.getBundleId());
        return started(bundle, "installed");
    }

    /** Updates bundle {@code id} from a checked jar of the same name (a stop and a start: plugins hand over). */
    Outcome update(long id, Path upload) {
        Bundle bundle = context.getBundle(id);
        if (bundle == null || !managedHere(bundle)) {
            return new Outcome(404, "refused: no bundle " + id + " that this page manages");
        }
        BundleCheck check = BundleCheck.of(upload);
        if (check.problem() != null) {
            return new Outcome(400, "refused: " + check.problem());
        }
        if (!check.symbolicName().equals(bundle.getSymbolicName())) {
            return new Outcome(400, "refused: the jar is " + check.symbolicName() + ", bundle " + id + " is "
                    + bundle.getSymbolicName());
        }
        try {
            Path kept = keep(upload, check.symbolicName());
            try (InputStream in = Files.newInputStream(kept)) {
                bundle.update(in);
            }
        } catch (IOException | BundleException | RuntimeException e) {
            return new Outcome(500, "cannot update " + bundle.getSymbolicName() + ": " + e.getMessage());
        }
        LOG.info("dashboard: updated bundle {} ({}) to {}", id, bundle.getSymbolicName(), bundle.getVersion());
        return started(bundle, "updated");
    }

    /** Uninstalls bundle {@code id} (its plugins are closed) and forgets its kept jar. */
    Outcome remove(long id) {
        Bundle bundle = context.getBundle(id);
        if (bundle == null || !managedHere(bundle)) {
            return new Outcome(404, "refused: no bundle " + id + " that this page manages");
        }
        String name = bundle.getSymbolicName();
        try {
            bundle.uninstall();
            Files.deleteIfExists(store.resolve(fileName(name)));
        } catch (BundleException | IOException | RuntimeException e) {
            return new Outcome(500, "cannot remove " + name + ": " + e.getMessage());
        }
        LOG.info("dashboard: removed bundle {} ({})", id, name);
        return new Outcome(200, "removed " + name + " (bundle " + id + ")");
    }

    private Outcome started(Bundle bundle, String what) {
        String done = what + " " + bundle.getSymbolicName() + " " + bundle.getVersion() + " as bundle " + bundle.getBundleId();
        try {
            bundle.start();
            return new Outcome(200, done);
        } catch (BundleException | RuntimeException e) {
            return new Outcome(500, done + ", but it does not start: " + e.getMessage());
        }
    }

    private Bundle bySymbolicName(String name) {
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private Path keep(Path upload, String symbolicName) throws IOException {
        Files.createDirectories(store);
        return Files.copy(upload, store.resolve(fileName(symbolicName)), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A file name from a bundle name: letters, digits, dots, dashes and underscores only. */
    static String fileName(String symbolicName) {
        return symbolicName.replaceAll("[^A-Za-z0-9._-]", "_") + ".jar";
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
