package org.weft.launcher;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Makes plugins/ the truth at start-up. FileInstall 3.7.4 uninstalls a bundle whose jar is deleted
 * while it runs, but not one deleted while Weft was down: the persistent cache would bring such a
 * plugin back. FileInstall installs by the jar's {@code file:} URL, so those bundles are found by
 * location. Bundles installed from the shell are not under plugins/ and stay.
 */
final class PluginFolder {

    private static final Logger LOG = Logger.getLogger(PluginFolder.class.getName());

    private PluginFolder() {
    }

    /** Runs after {@code Framework.init()}, before {@code start()}. */
    static void uninstallDeleted(BundleContext context, Path pluginDir) {
        String prefix = BundleDeployer.location(pluginDir);
        for (Bundle bundle : context.getBundles()) {
            String location = bundle.getLocation();
            if (location.startsWith(prefix) && !exists(location)) {
                try {
                    String name = bundle.getSymbolicName();
                    bundle.uninstall();
                    LOG.info(() -> "Uninstalled plugin " + name + ": " + location + " was deleted while Weft was down");
                } catch (BundleException e) {
                    LOG.warning(() -> "Cannot uninstall " + location + ": " + e.getMessage());
                }
            }
        }
    }

    private static boolean exists(String location) {
        try {
            return Files.exists(Path.of(URI.create(location)));
        } catch (IllegalArgumentException e) {
            return true; // not a plain file: URL; not ours to judge
        }
    }
}
