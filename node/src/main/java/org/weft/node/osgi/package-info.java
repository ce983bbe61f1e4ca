/**
 * The OSGi helpers every Weft process shares, whatever its role: the launcher's signals
 * ({@link org.weft.node.osgi.LauncherSignals}), the transport's framework properties
 * ({@link org.weft.node.osgi.TransportSettings}), the settings parser of
 * {@code etc/org.weft.scheduler.cfg} ({@link org.weft.node.osgi.SettingKeys}), what the plugin
 * binders of both read off a plugin service ({@link org.weft.node.osgi.PluginReferences}) and how
 * they hold a plugin's events while its bundle is updated ({@link org.weft.node.osgi.PluginHandovers}), and the bridge from
 * the OSGi Log Service to slf4j ({@link org.weft.node.osgi.OsgiLogBridge}, a component: one per
 * process that runs this bundle). Neither scheduler nor worker code. Exported for Weft's own
 * bundles; not an API.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.node.osgi;
