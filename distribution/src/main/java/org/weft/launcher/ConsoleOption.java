package org.weft.launcher;

import picocli.CommandLine.Option;

/** {@code --no-console} of the commands that run until stopped (local, scheduler, worker). */
final class ConsoleOption {

    @Option(names = {"--no-console", "--daemon"},
            description = "Do not open the console and never read stdin; stop with Ctrl-C or SIGTERM "
                    + "(default: the Gogo console on stdin and stdout).")
    private boolean noConsole;

    /** The {@code gosh.args} framework property for this choice (see {@link ShellArgs}). */
    String shellArgs() {
        return noConsole ? ShellArgs.noConsole() : ShellArgs.console();
    }

    /** How to stop, for the ready banner. */
    String hint() {
        return noConsole ? "Ctrl-C to stop." : "Type 'help weft' for commands, Ctrl-D to stop.";
    }
}
