package org.weft.depot.osgi;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.depot.BundleFacts;
import org.weft.depot.BundleHost;
import org.weft.depot.Hashes;
import org.weft.protocol.BundleMessage;
import org.weft.protocol.BundleMessage.State;

/**
 * Installs the depot's bundles in this (worker's) framework under the location
 * {@code weft-depot:<symbolic name>}: a new symbolic name is installed and started, a known one
 * updated (a stop and a start: DS unbinds the old revision's services, binds the new one's), and
 * ACTIVE is said only once the services the bundle declares are registered, so that its task
 * functions and worker plugins are bound before any later task arrives. A bundle that does not
 * resolve is FAILED with the missing requirement; bytes whose hash is not the one named are refused.
 */
public final class FrameworkBundleHost implements BundleHost {

    private static final Logger LOG = LoggerFactory.getLogger(FrameworkBundleHost.class);
    public static final String LOCATION_PREFIX = "weft-depot:";
    private static final long SERVICES_WAIT_MILLIS = 10_000;

    private final BundleContext context;
    private final long servicesWaitMillis;
    /** Per symbolic name, the hash of the bytes its bundle was installed or updated from here. */
    private final java.util.Map<String, String> hashes = new java.util.concurrent.ConcurrentHashMap<>();

    public FrameworkBundleHost(BundleContext context) {
        this(context, SERVICES_WAIT_MILLIS);
    }

    /** @param servicesWaitMillis how long a started bundle may take to register the services it declares */
    public FrameworkBundleHost(BundleContext context, long servicesWaitMillis) {
        this.context = context;
        this.servicesWaitMillis = servicesWaitMillis;
    }

    @Override
    public BundleMessage.BundleState install(BundleMessage.InstallBundle m) {
        String name = m.symbolicName();
        String hash = Hashes.sha256(m.bytes());
        if (!hash.equals(m.sha256())) {
            return failed(m, "its bytes hash to " + hash + ", not to the " + m.sha256() + " the scheduler named");
        }
        BundleFacts facts;
        try {
            facts = BundleFacts.read(m.bytes());
        } catch (IllegalArgumentException e) {
            return failed(m, e.getMessage());
        }
        if (!facts.symbolicName().equals(name)) {
            return failed(m, "its manifest names " + facts.symbolicName() + ", not " + name);
        }
        Bundle bundle = context.getBundle(LOCATION_PREFIX + name);
        try {
            if (bundle == null) {
                bundle = context.installBundle(LOCATION_PREFIX + name, new ByteArrayInputStream(m.bytes()));
                LOG.info("depot bundle {} {} installed", name, m.version());
            } else if (hash.equals(hashes.get(name))) {
                LOG.debug("depot bundle {} is already at {}", name, hash);
            } else {
                String from = bundle.getVersion().toString();
                bundle.update(new ByteArrayInputStream(m.bytes()));
                refreshIfPending(bundle);
                LOG.info("depot bundle {} updated from {} to {}", name, from, m.version());
            }
            hashes.put(name, hash);
            bundle.start();
        } catch (BundleException | IllegalStateException | SecurityException e) {
            if (bundle != null) {
                hashes.put(name, hash);
            }
            return failed(m, e.getMessage());
        }
        String missing = awaitServices(bundle, facts.services());
        if (missing != null) {
            return failed(m, missing);
        }
        return new BundleMessage.BundleState(name, hash, State.ACTIVE, null);
    }

    @Override
    public BundleMessage.BundleState uninstall(String symbolicName) {
        Bundle bundle = context.getBundle(LOCATION_PREFIX + symbolicName);
        String hash = hashes.remove(symbolicName);
        if (bundle != null) {
            try {
                bundle.uninstall();
                LOG.info("depot bundle {} uninstalled", symbolicName);
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("depot bundle {} could not be uninstalled: {}", symbolicName, e.getMessage());
                return new BundleMessage.BundleState(symbolicName, hash, State.FAILED, "could not be uninstalled: "
                        + e.getMessage());
            }
        }
        return new BundleMessage.BundleState(symbolicName, hash, State.UNINSTALLED, null);
    }

    @Override
    public List<String> installed() {
        List<String> names = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(LOCATION_PREFIX)) {
                names.add(b.getLocation().substring(LOCATION_PREFIX.length()));
            }
        }
        return names;
    }

    private BundleMessage.BundleState failed(BundleMessage.InstallBundle m, String cause) {
        LOG.warn("depot bundle {} {} failed here: {}", m.symbolicName(), m.version(), cause);
        return new BundleMessage.BundleState(m.symbolicName(), m.sha256(), State.FAILED, cause);
    }

    /**
     * Waits until the bundle is ACTIVE and has registered a service of each interface it declares
     * (DS registers them as it processes the started bundle).
     *
     * @return null when it has, else what is missing
     */
    private String awaitServices(Bundle bundle, Set<String> declared) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(servicesWaitMillis);
        while (true) {
            List<String> missing = new ArrayList<>();
            if (bundle.getState() != Bundle.ACTIVE) {
                missing.add("the bundle to be ACTIVE (it is " + stateName(bundle.getState()) + ")");
            } else {
                for (String service : declared) {
                    if (!registers(bundle, service)) {
                        missing.add(service);
                    }
                }
            }
            if (missing.isEmpty()) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return "waited " + servicesWaitMillis + " ms for " + String.join(", ", missing)
                        + " (a component whose reference or configuration is not satisfied? see the worker's log)";
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while waiting for its services";
            }
        }
    }

    private static boolean registers(Bundle bundle, String service) {
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        if (refs == null) {
            return false;
        }
        for (ServiceReference<?> ref : refs) {
            Object classes = ref.getProperty("objectClass");
            if (classes instanceof String[] names && List.of(names).contains(service)) {
                return true;
            }
        }
        return false;
    }

    private void refreshIfPending(Bundle bundle) throws BundleException {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        if (!wiring.getRemovalPendingBundles().contains(bundle)) {
            return;
        }
        CountDownLatch refreshed = new CountDownLatch(1);
        FrameworkListener done = event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        };
        wiring.refreshBundles(List.of(bundle), done);
        try {
            refreshed.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started: start level?)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> String.valueOf(state);
        };
    }
}
