/**
 * Runs a node's preloads ({@link org.weft.plugin.api.Preload}) for Weft's own hosts: the
 * scheduler and worker processes, and the client. Not an API for plugin authors.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.preload;
