package org.weft.launcher;

import java.util.logging.LogManager;

/**
 * A LogManager whose handlers stay open until the launcher has stopped the framework.
 *
 * <p>The JDK's LogManager closes every handler from its own shutdown hook, which runs at the same
 * time as the launcher's: on Ctrl-C or SIGTERM the bundles' last messages and "Weft stopped"
 * would be lost. Selected by {@link LogSetup#selectLogManager()} before any logging happens.
 */
public final class DeferredResetLogManager extends LogManager {

    private volatile boolean deferred;

    /** From now on, {@link #reset()} waits for {@link #resetNow()}. */
    static void deferResets() {
        if (LogManager.getLogManager() instanceof DeferredResetLogManager manager) {
            manager.deferred = true;
        }
    }

    /** Closes the handlers: the launcher's last word. */
    static void resetNow() {
        if (LogManager.getLogManager() instanceof DeferredResetLogManager manager) {
            manager.deferred = false;
            manager.reset();
        }
    }

    @Override
    public void reset() {
        if (!deferred) {
            super.reset();
        }
    }
}
