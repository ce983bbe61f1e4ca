/**
 * A worker process ({@code bin/weft worker tcp://…}): {@link org.weft.worker.process.WorkerProcess}
 * runs one {@link org.weft.worker.WorkerNode} whose scheduler is at the end of a TCP link, serves
 * its results to peers on its own port ({@code DataServer}), fetches the inputs it lacks from the
 * peers that hold them ({@code PeerLinks}), and answers the scheduler's questions about its story
 * and plugins in the maps of {@link org.weft.node.wire.StatusWire}, which the scheduler reads
 * back with the same class. No scheduler code. Exported for Weft's own bundles (the OSGi binding,
 * the scheduler's server, tests, benchmarks).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.worker.process;
