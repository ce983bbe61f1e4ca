/**
 * The plugin host shared by every kind of Weft process: {@link org.weft.pluginhost.PluginRegistry}
 * (slots by name, replace and remove without a restart), {@link org.weft.pluginhost.PluginSlot}
 * (one plugin's delivery, synchronous or on its own thread, with hand-over on update and FAILED
 * quarantine), {@link org.weft.pluginhost.PluginStats}, and the two faces the nodes call,
 * {@link org.weft.pluginhost.SchedulerPluginHost} and {@link org.weft.pluginhost.WorkerPluginHost}.
 * Depends on the plugin API only: no scheduler, worker or transport code. Exported for Weft's own
 * bundles (scheduler and worker nodes); plugins compile against {@code org.weft.plugin.api}, never this.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weft.pluginhost;
