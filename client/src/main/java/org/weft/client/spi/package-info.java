/**
 * The seam between the {@link org.weft.client.Client} and a scheduler: an in-process local
 * cluster today, a network transport tomorrow, behind the same {@link SchedulerConnection}.
 * Implemented by Weft, not by users.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package org.weft.client.spi;
