/**
 * Task functions by name: {@link org.weft.node.functions.TaskFunctionRegistry} (what a worker can run)
 * and the built-in functions every worker has. Exported for Weft's own bundles.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.node.functions;
