/**
 * The seams between nodes, each implemented in process (the local cluster) and over TCP:
 * {@link org.weft.node.link.WorkerLink} (scheduler to worker), {@link org.weft.node.link.SchedulerLink}
 * (worker to scheduler) and {@link org.weft.node.link.ClientLink} (scheduler to client).
 * Exported for Weft's own bundles.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.node.link;
