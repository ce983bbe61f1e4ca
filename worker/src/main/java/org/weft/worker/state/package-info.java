/**
 * The worker's pure state machine: {@link org.weft.worker.state.WorkerState} (stimulus in,
 * {@code org.weft.node.WorkerInstruction}s out), its transition table, its tasks, executor slots and
 * resources, its story and invariants. No threads, no I/O, no OSGi. Exported for Weft's own bundles.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.worker.state;
