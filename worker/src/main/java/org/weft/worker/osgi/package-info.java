/**
 * The OSGi side of a worker process ({@code bin/weft worker tcp://…}, {@code weft.mode=worker}):
 * {@link org.weft.worker.osgi.WorkerModeSwitch} sets up the worker's preloads and enables
 * {@link org.weft.worker.osgi.WorkerProcessComponent}, which joins the scheduler;
 * {@link org.weft.worker.osgi.WorkerPluginBinder} binds worker plugins, task functions and
 * serializers to whatever {@link org.weft.worker.osgi.WorkerTarget} the process has (this worker,
 * or the local cluster's workers). What the scheduler's OSGi side shares with it (the launcher's
 * signals, the transport's framework properties, the settings parser, the OSGi log bridge) is in
 * {@code org.weft.node.osgi}. No scheduler code. Exported for Weft's own bundles; not an API.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.worker.osgi;
