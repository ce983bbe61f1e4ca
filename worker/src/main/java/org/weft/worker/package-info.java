/**
 * A worker node: {@link org.weft.worker.WorkerNode} runs a {@link org.weft.worker.state.WorkerState}
 * on its own loop, with executor threads for task functions, the worker's plugin host, secede and
 * rejoin for tasks that submit tasks, and {@link org.weft.worker.PeerData}, the seam to the results
 * other workers hold. Reaches its scheduler through {@code org.weft.node.link.SchedulerLink} only:
 * no scheduler code. Exported for Weft's own bundles (the local cluster, a worker process).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.worker;
