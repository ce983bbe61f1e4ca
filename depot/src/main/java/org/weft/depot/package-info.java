/**
 * The bundle depot: the bundles registered for a cluster (task functions, worker plugins, nanny
 * plugins), identified by symbolic name, version and SHA-256 ({@link org.weft.depot.DepotBundle});
 * how a bundle is judged to travel ({@link org.weft.depot.BundleFacts}); the scheduler's side that
 * sends them to every worker and tracks each worker's state ({@link org.weft.depot.DepotDistributor});
 * the worker's side that installs them in order with the scheduler's other messages
 * ({@link org.weft.depot.DepotInbox}, {@link org.weft.depot.BundleHost}); and the wrapping of a
 * plain jar into a bundle ({@link org.weft.depot.JarWrapper}). Used by Weft's own bundles only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.depot;
