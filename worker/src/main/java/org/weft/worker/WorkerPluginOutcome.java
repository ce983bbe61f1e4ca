package org.weft.worker;

import org.weft.pluginhost.Registration;

/**
 * What registering a worker plugin did on one worker: a {@link Registration}, or the error its
 * {@code setup} raised (the plugin is then FAILED on that worker).
 */
public record WorkerPluginOutcome(String worker, Registration registration, Throwable error) {

    public boolean failed() {
        return error != null;
    }

    @Override
    public String toString() {
        return worker + ": " + (error == null ? registration : "FAILED (" + error.getMessage() + ")");
    }
}
