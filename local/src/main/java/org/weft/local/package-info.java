/**
 * The embedded cluster: {@link org.weft.local.LocalCluster}, a scheduler ({@code scheduler-core}'s
 * {@code SchedulerService}) and N workers ({@code worker}'s {@code WorkerNode}) in one JVM, built
 * from a {@link org.weft.local.LocalClusterConfig}; {@code weft local}, {@code weft demo}, tests
 * and benchmarks. Exported for Weft's own bundles, tests and benchmarks; not an API.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.local;
