package org.weft.preload;

import java.util.List;

import picocli.CommandLine;

/** The one class that uses picocli: loaded only for a preload that declares options. */
final class PicocliArguments {

    private PicocliArguments() {
    }

    /** What picocli refused: an unknown option, a missing or malformed value, a bad declaration. */
    static final class BadArguments extends Exception {
        private static final long serialVersionUID = 1L;

        BadArguments(String message) {
            super(message);
        }
    }

    static void parse(Object preload, List<String> argv) throws BadArguments {
        try {
            new CommandLine(preload).parseArgs(argv.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new BadArguments(e.getMessage());
        } catch (CommandLine.InitializationException e) {
            throw new BadArguments("its option declarations are not valid: " + e.getMessage());
        }
    }
}
