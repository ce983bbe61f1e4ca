package org.weft.depot;

import java.util.List;

import org.weft.protocol.BundleMessage;

/**
 * Where a worker installs the depot's bundles: its own OSGi framework
 * ({@link org.weft.depot.osgi.FrameworkBundleHost}). Each call blocks until the bundle is running
 * (its services registered) or has failed, and says which.
 */
public interface BundleHost {

    /** Installs the bundle, or updates the depot bundle with its symbolic name to these bytes. */
    BundleMessage.BundleState install(BundleMessage.InstallBundle bundle);

    /** Uninstalls the depot bundle with this symbolic name (UNINSTALLED also when there was none). */
    BundleMessage.BundleState uninstall(String symbolicName);

    /** The symbolic names of the depot bundles installed here now. */
    List<String> installed();
}
