/**
 * The depot in OSGi: {@link org.weft.depot.osgi.DepotComponent} (a scheduler process's depot, fed
 * from the bundles of its framework and from uploads), {@link org.weft.depot.osgi.FrameworkBundleHost}
 * (a worker's installer), and the {@code weft:bundles} command. Used by Weft's own bundles only.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.depot.osgi;
