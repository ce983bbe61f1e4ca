package org.weft.pluginhost;

/**
 * A plugin's {@code start} (scheduler) or {@code setup} (worker) threw: the plugin was not added.
 * The message names the plugin and the cause; the cause is attached.
 */
public final class PluginStartException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String pluginName;

    public PluginStartException(String pluginName, String message, Throwable cause) {
        super(message, cause);
        this.pluginName = pluginName;
    }

    /** The name of the plugin that failed to start. */
    public String pluginName() {
        return pluginName;
    }
}
