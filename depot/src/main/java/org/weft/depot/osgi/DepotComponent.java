package org.weft.depot.osgi;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.depot.BundleFacts;
import org.weft.depot.Depot;
import org.weft.depot.DepotBundle;
import org.weft.depot.DepotDistributor;

/**
 * The depot of a scheduler process ({@code weft.mode=scheduler}): every bundle installed in the
 * scheduler's framework that provides task functions, worker plugins or nanny plugins
 * ({@link BundleFacts#travels()}) is in the depot — a jar dropped into {@code plugins/}, one
 * {@code install}ed from the shell, one uploaded by a client (kept under this bundle's data
 * folder and installed from there) — and updating or uninstalling it there updates or removes it
 * on every worker. Weft's own bundles ({@code bundle/<level>/}) are not: every installation has
 * them. In other modes the depot stays empty.
 */
@Component(immediate = true, service = DepotComponent.class)
public final class DepotComponent {

    private static final Logger LOG = LoggerFactory.getLogger(DepotComponent.class);
    /** Locations of the launcher's runtime bundles: {@code …/bundle/<start level>/<jar>}. */
    private static final Pattern RUNTIME_BUNDLE = Pattern.compile(".*/bundle/\\d+/[^/]+$");

    private final BundleContext context;
    private final DepotDistributor distributor = new DepotDistributor(new Depot());
    private final boolean scheduler;
    /** Per bundle id, the symbolic name it is in the depot under. */
    private final Map<Long, String> fed = new ConcurrentHashMap<>();
    /** Per bundle id, the bytes an upload is updating it to (its location still names older ones). */
    private final Map<Long, byte[]> updating = new ConcurrentHashMap<>();
    private final SynchronousBundleListener listener = this::bundleChanged;

    @Activate
    public DepotComponent(BundleContext context) {
        this.context = context;
        String mode = context.getProperty("weft.mode");
        this.scheduler = mode != null && mode.trim().equals("scheduler");
        if (scheduler) {
            distributor.installWith(this::installUpload);
            context.addBundleListener(listener);
            for (Bundle b : context.getBundles()) {
                consider(b);
            }
        }
    }

    @Deactivate
    void deactivate() {
        if (scheduler) {
            context.removeBundleListener(listener);
        }
    }

    /** Whether this is a scheduler process, whose depot is fed. */
    public boolean isScheduler() {
        return scheduler;
    }

    public DepotDistributor distributor() {
        return distributor;
    }

    private void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.UPDATED -> consider(bundle);
            case BundleEvent.UNINSTALLED -> {
                String name = fed.remove(bundle.getBundleId());
                if (name != null) {
                    distributor.depot().remove(name);
                }
            }
            default -> {
            }
        }
    }

    /** Puts the bundle in the depot if it travels. */
    private void consider(Bundle bundle) {
        if (bundle.getBundleId() == 0 || RUNTIME_BUNDLE.matcher(bundle.getLocation().replace('\\', '/')).matches()
                || !mayTravel(bundle)) {
            return;
        }
        try {
            byte[] bytes = updating.remove(bundle.getBundleId());
            if (bytes == null) {
                bytes = BundleBytes.of(bundle);
            }
            BundleFacts facts = BundleFacts.read(bytes);
            if (!facts.travels()) {
                return;
            }
            DepotBundle entry = DepotBundle.of(bytes, source(bundle));
            String before = fed.put(bundle.getBundleId(), entry.symbolicName());
            if (before != null && !before.equals(entry.symbolicName())) {
                distributor.depot().remove(before);
            }
            distributor.depot().put(entry);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("bundle {} is not in the depot: {}", bundle.getSymbolicName(), e.getMessage());
        }
    }

    /** A cheap look at the headers before reading any bytes. */
    private static boolean mayTravel(Bundle bundle) {
        String provides = bundle.getHeaders("").get("Provide-Capability");
        if (provides != null && (provides.contains(BundleFacts.TASK_FUNCTION) || provides.contains(BundleFacts.WORKER_PLUGIN)
                || provides.contains(BundleFacts.NANNY_PLUGIN))) {
            return true;
        }
        String imports = bundle.getHeaders("").get("Import-Package");
        return bundle.getHeaders("").get("Service-Component") != null && imports != null
                && imports.contains("org.weft.plugin.api");
    }

    private static String source(Bundle bundle) {
        String location = bundle.getLocation();
        int plugins = location.lastIndexOf("/plugins/");
        if (plugins >= 0) {
            return location.substring(plugins + 1);
        }
        if (location.contains("/depot-uploads/")) {
            return "upload";
        }
        return location.length() > 60 ? "…" + location.substring(location.length() - 59) : location;
    }

    /**
     * An upload: kept in this bundle's data folder, then installed in the scheduler's framework from
     * there (or, when a bundle of that symbolic name is installed already, that bundle updated), so
     * the scheduler runs what it provides for the scheduler too and a restart keeps it.
     */
    private DepotBundle installUpload(byte[] bytes, String fileName) {
        BundleFacts facts = BundleFacts.read(bytes);
        if (!facts.travels()) {
            DepotBundle.of(bytes, "upload"); // throws with the reason
        }
        File folder = context.getDataFile("depot-uploads");
        if (folder == null) {
            throw new IllegalStateException("the framework gives the depot no data folder to keep uploads in");
        }
        try {
            Path jar = folder.toPath().resolve(facts.symbolicName() + ".jar");
            Files.createDirectories(folder.toPath());
            Files.write(jar, bytes);
            Bundle existing = null;
            for (Bundle b : context.getBundles()) {
                if (b.getBundleId() != 0 && facts.symbolicName().equals(b.getSymbolicName())) {
                    existing = b;
                }
            }
            Bundle bundle;
            if (existing != null) {
                updating.put(existing.getBundleId(), bytes);
                try {
                    existing.update(new ByteArrayInputStream(bytes));
                } finally {
                    updating.remove(existing.getBundleId()); // taken by the UPDATED event, or the update failed
                }
                bundle = existing;
                LOG.info("upload {}: {} updated to {}", fileName, facts.symbolicName(), facts.version());
            } else {
                bundle = context.installBundle(jar.toUri().toString());
                LOG.info("upload {}: {} {} installed", fileName, facts.symbolicName(), facts.version());
            }
            try {
                bundle.start();
            } catch (BundleException e) {
                LOG.warn("uploaded bundle {} does not start on the scheduler (the workers get it all the same): {}",
                        facts.symbolicName(), e.getMessage());
            }
        } catch (IOException | BundleException e) {
            throw new IllegalArgumentException(fileName + " could not be installed on the scheduler: " + e.getMessage(), e);
        }
        DepotBundle entry = distributor.depot().get(facts.symbolicName());
        if (entry == null) {
            throw new IllegalStateException(fileName + " was installed but is not in the depot (see the scheduler's log)");
        }
        return entry;
    }
}
