package org.weft.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the framework's own log (felix.log.level) to java.util.logging instead of stdout, which
 * belongs to the CLI and the console. Felix's Logger (the {@code felix.log.logger} framework
 * property) calls {@link #log(int, String, Throwable)} reflectively once given this object.
 *
 * <p>One known error of a third-party bundle is logged at INFO instead: gogo.runtime 1.1.6's
 * {@code CommandProcessorImpl.stop()} sizes an array by its weak map of sessions, then fills it
 * by iterating that map; a session garbage-collected in between leaves a null, and closing it
 * throws a NullPointerException ("session is null") at shutdown. Every live session was closed
 * by then and nothing is lost, so it is not shown on the console as an error.
 */
public final class FelixLog {

    private static final Logger LOG = Logger.getLogger("org.apache.felix.framework");

    /** @param level 1 error, 2 warning, 3 info, 4 debug (the OSGi LogService levels) */
    public void log(int level, String message, Throwable error) {
        if (level <= 2 && isGogoSessionRace(error)) {
            LOG.log(Level.INFO, message + " (gogo.runtime met an already-collected console session while stopping:"
                    + " a known race in gogo.runtime 1.1.6, harmless)");
            LOG.log(Level.FINE, message, error);
            return;
        }
        Level julLevel = switch (level) {
            case 1 -> Level.SEVERE;
            case 2 -> Level.WARNING;
            case 3 -> Level.INFO;
            default -> Level.FINE;
        };
        LOG.log(julLevel, message, error);
    }

    /** Whether {@code error} is, or is caused by, the NullPointerException of CommandProcessorImpl.stop. */
    static boolean isGogoSessionRace(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NullPointerException) {
                for (StackTraceElement frame : t.getStackTrace()) {
                    if ("org.apache.felix.gogo.runtime.CommandProcessorImpl".equals(frame.getClassName())
                            && "stop".equals(frame.getMethodName())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
