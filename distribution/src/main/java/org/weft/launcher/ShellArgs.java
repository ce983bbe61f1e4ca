package org.weft.launcher;

/**
 * The {@code gosh.args} framework property for gogo.jline, and the JLine setting that goes
 * with it. gogo.jline always builds a terminal; without a TTY JLine falls back to a "dumb" one
 * (reads stdin line by line) after a warning. Asking for the dumb terminal up front saves the
 * warning when we know there is no TTY.
 */
final class ShellArgs {

    static final String PROPERTY = "gosh.args";

    private ShellArgs() {
    }

    /** The value of {@link #PROPERTY} for a process without a console. */
    private static final String NO_CONSOLE = "--nointeractive";

    /**
     * The bundles of the Gogo shell: a process without a console installs them (its bundle set
     * stays the one its bndrun names) but does not start them, as nothing could ever reach the
     * shell there; starting them cost a worker process a good share of its start-up.
     */
    static final java.util.Set<String> SHELL_BUNDLES = java.util.Set.of("org.apache.felix.gogo.runtime",
            "org.apache.felix.gogo.command", "org.apache.felix.gogo.jline");

    /** No console: run the profile only, never read stdin (end of input would stop the framework). */
    static String noConsole() {
        useDumbTerminal();
        return NO_CONSOLE;
    }

    /** Whether a {@link #PROPERTY} value (null: none set) opens no console: {@link #SHELL_BUNDLES} are not started. */
    static boolean isNoConsole(String value) {
        return value != null && value.trim().equals(NO_CONSOLE);
    }

    /**
     * The console on stdin/stdout. Without a TTY (a pipe or a file), each line is run as a
     * command, its result printed, and end of input stops the framework; those lines stay out of
     * ~/.gogo.history.
     */
    static String console() {
        if (System.console() != null) {
            return "";
        }
        useDumbTerminal();
        return "--nohistory";
    }

    private static void useDumbTerminal() {
        if (System.getProperty("org.jline.terminal.dumb") == null) {
            System.setProperty("org.jline.terminal.dumb", "true");
        }
    }
}
