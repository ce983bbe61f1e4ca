package org.weft.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the framework's own log (felix.log.level) to java.util.logging instead of stdout, which
 * belongs to the CLI and the console. Felix's Logger (the {@code felix.log.logger} framework
 * property) calls {@link #log(int, String, Throwable)} reflectively once given this object.
 */
public final class FelixLog {

    private static final Logger LOG = Logger.getLogger("org.apache.felix.framework");

    /** @param level 1 error, 2 warning, 3 info, 4 debug (the OSGi LogService levels) */
    public void log(int level, String message, Throwable error) {
        Level julLevel = switch (level) {
            case 1 -> Level.SEVERE;
            case 2 -> Level.WARNING;
            case 3 -> Level.INFO;
            default -> Level.FINE;
        };
        LOG.log(julLevel, message, error);
    }
}
