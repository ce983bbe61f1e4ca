package org.weft.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

/**
 * Collects the bundles that failed to resolve or start, and judges the start-up: a Weft bundle
 * ({@code org.weft.*}) that is not active is fatal, any other is a warning. Reports go to the log,
 * whose console handler shows warnings and errors on stderr, one line each.
 */
final class StartupProblems implements FrameworkListener {

    private static final Logger LOG = Logger.getLogger(StartupProblems.class.getName());

    private final Map<Long, Throwable> failures = new ConcurrentHashMap<>();

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        // Felix logs the error itself (see FelixLog); this keeps the cause for the start-up report.
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null && event.getBundle().getBundleId() != 0
                && event.getThrowable() != null) {
            failures.put(event.getBundle().getBundleId(), event.getThrowable());
        }
    }

    void installFailed(String jar, Throwable cause) {
        LOG.log(Level.WARNING, cause, () -> "Cannot install " + jar + ": " + message(cause));
    }

    /**
     * Reports every runtime bundle up to {@code startLevel} that is not active. When the framework
     * is already stopping (an end of input or an exit right after the start), bundles are being
     * stopped on purpose: only those that failed with an error are reported.
     *
     * @param running whether the framework is still active
     * @return the fatal problems (Weft bundles), empty when the runtime can run
     */
    List<String> check(List<DeployedBundle> runtime, int startLevel, boolean running) {
        List<String> fatal = new ArrayList<>();
        for (DeployedBundle deployed : runtime) {
            Bundle bundle = deployed.bundle();
            if (deployed.notStarted() || deployed.startLevel() > startLevel || bundle.getState() == Bundle.ACTIVE) {
                continue;
            }
            Throwable cause = failures.get(bundle.getBundleId());
            if (cause == null && !running) {
                continue;
            }
            String line = "bundle " + describe(bundle) + " from " + deployed.jar() + " is not active"
                    + (cause != null ? ": " + message(cause) : "");
            if (isWeft(bundle)) {
                fatal.add(line);
                LOG.severe(line);
            } else {
                LOG.warning(line);
            }
        }
        return fatal;
    }

    static boolean isWeft(Bundle bundle) {
        String name = bundle.getSymbolicName();
        return name != null && name.startsWith("org.weft.");
    }

    private static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " [" + bundle.getBundleId() + "]";
    }

    /** The message of the innermost cause: resolution errors say what is missing there. */
    static String message(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() != null ? root.getMessage() : root.toString();
        return root == error ? text : error.getMessage() + " (" + text + ")";
    }
}
