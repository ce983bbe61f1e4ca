/**
 * What a scheduler node and a worker node share: the instructions their pure state machines emit
 * and exchange ({@link org.weft.node.SchedulerInstruction}, {@link org.weft.node.WorkerInstruction}),
 * the story of transitions both keep ({@link org.weft.node.TransitionLog}), and the single-threaded
 * loop each node runs its state machine on ({@link org.weft.node.EventLoop}), and how a worker's
 * resources are spelled ({@link org.weft.node.ResourceSpec}). Knows no scheduler or
 * worker state. Exported for Weft's own bundles; plugins compile against {@code org.weft.plugin.api}, never this.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.node;
