package org.weft.pluginhost;

import java.util.Objects;

/**
 * Where a plugin came from: the bundle that registered it as a service, or {@link #CODE} for
 * plugins added in code (shell, client, preload).
 *
 * @param bundle the bundle's symbolic name, or {@code "(code)"}
 * @param version the bundle's version, or empty
 * @param serviceId the service id, or {@code -1}
 */
public record PluginOrigin(String bundle, String version, long serviceId) {

    /** A plugin added in code rather than registered by a bundle. */
    public static final PluginOrigin CODE = new PluginOrigin("(code)", "", -1);

    /** A plugin that ships with the scheduler and is on by configuration (work stealing). */
    public static final PluginOrigin BUILT_IN = new PluginOrigin("(built-in)", "", -1);

    public PluginOrigin {
        Objects.requireNonNull(bundle, "bundle");
        version = version == null ? "" : version;
    }

    /** Whether this plugin was registered by a bundle (as opposed to added in code). */
    public boolean isBundle() {
        return serviceId >= 0;
    }

    @Override
    public String toString() {
        return version.isEmpty() ? bundle : bundle + " " + version;
    }
}
