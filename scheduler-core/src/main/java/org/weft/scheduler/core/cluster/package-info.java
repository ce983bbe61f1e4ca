/**
 * The scheduler's node and its side of any cluster: {@link org.weft.scheduler.core.cluster.SchedulerNode},
 * {@link org.weft.scheduler.core.cluster.SchedulerService} (the connections of clients in this JVM,
 * the timers, and the sources the workers add, whoever runs them), in-process client connections.
 * No worker code: the local cluster (the {@code local} module) builds on it. Exported for Weft's
 * own bundles; not an API.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.scheduler.core.cluster;
