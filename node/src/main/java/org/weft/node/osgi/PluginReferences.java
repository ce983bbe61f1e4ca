package org.weft.node.osgi;

import java.util.UUID;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.weft.plugin.api.PluginOptions;
import org.weft.pluginhost.PluginNames;
import org.weft.pluginhost.PluginOrigin;

/** What the scheduler's and the workers' plugin binders read off a plugin service's reference. */
public final class PluginReferences {

    private PluginReferences() {
    }

    /** The bundle (symbolic name, version) and service id a plugin comes from. */
    public static PluginOrigin origin(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        String name = b == null ? "(gone)" : b.getSymbolicName();
        String version = b == null ? "" : b.getVersion().toString();
        return new PluginOrigin(name, version, (Long) ref.getProperty(Constants.SERVICE_ID));
    }

    /**
     * Reads the typed plugin properties, tolerating bad values (warn and use the default); a plugin
     * with no name gets its component's (or its class's) simple name and a random suffix.
     */
    public static PluginOptions options(ServiceReference<?> ref, Object plugin) {
        return PluginNames.options(ref::getProperty, () -> {
            Object components = ref.getProperty("component.name");
            String base = components instanceof String s ? s.substring(s.lastIndexOf('.') + 1)
                    : plugin == null ? "plugin" : plugin.getClass().getSimpleName();
            return base + "-" + UUID.randomUUID();
        });
    }
}
