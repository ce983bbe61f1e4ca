/**
 * The scheduler's OSGi side: the mode switch, the scheduler of a scheduler process
 * ({@link org.weft.scheduler.core.osgi.SchedulerComponent}) and its server, the plugin binder, the
 * snapshot service, the {@code weft:} commands, and what the local cluster's component (the
 * {@code org.weft.local} bundle) shares with them: {@link org.weft.scheduler.core.osgi.RunningScheduler},
 * {@link org.weft.scheduler.core.osgi.LiveSettings}. Exported for Weft's own bundles; not an API.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.scheduler.core.osgi;
