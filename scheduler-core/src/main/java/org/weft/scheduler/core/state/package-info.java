/**
 * The scheduler's pure state machine ({@link org.weft.scheduler.core.state.SchedulerState}) and its
 * settings ({@link org.weft.scheduler.core.state.SchedulerConfig}). Exported for Weft's own bundles
 * (the local cluster configures a scheduler with it); not an API.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.scheduler.core.state;
