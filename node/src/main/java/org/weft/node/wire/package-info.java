/**
 * Between the nodes' instructions and the protocol's messages: {@link org.weft.node.wire.WireMapping}
 * (instructions to and from {@code org.weft.protocol} messages) and {@link org.weft.node.wire.Serializers}
 * (plugin-API serializers of user types fed to the protocol's value types), and
 * {@link org.weft.node.wire.StatusWire} (a worker process's answers about its story and plugins as
 * JSON-able maps, written by the worker and read back by the scheduler). Exported for Weft's own bundles.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.node.wire;
