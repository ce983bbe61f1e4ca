package org.weft.launcher;

import java.util.logging.Logger;

/**
 * In a worker its nanny started ({@code -Dweft.nanny.pid}): when the nanny is gone (killed with
 * SIGKILL, so it could not stop its worker), the worker stops too, retiring as on SIGTERM, rather
 * than live on unwatched.
 */
final class NannyWatch {

    /** The system property a nanny starts its worker's JVM with: the nanny's process id. */
    static final String PROPERTY = "weft.nanny.pid";
    private static final Logger LOG = Logger.getLogger(NannyWatch.class.getName());

    private NannyWatch() {
    }

    /** @return the nanny's process id, or -1 when this process was not started by a nanny */
    static long nannyPid() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Stops this JVM (its shutdown hook stops the framework cleanly) once the process {@code pid} ended. */
    static void exitWhenGone(long pid) {
        ProcessHandle.of(pid).ifPresentOrElse(
                nanny -> nanny.onExit().thenRun(() -> stop(pid)),
                () -> stop(pid));
    }

    private static void stop(long pid) {
        LOG.warning(() -> "The nanny (process " + pid + ") is gone; this worker stops");
        Thread exit = new Thread(() -> System.exit(0), "weft-nanny-gone");
        exit.start();
    }
}
