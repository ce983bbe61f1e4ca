package org.weft.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * {@code --preload} of the commands that start a scheduler or worker, and the arguments the
 * command does not know (its {@code @Unmatched} field), which go to the preloads (as Dask's {@code dask scheduler --preload
 * setup.py --print-count}). Becomes the framework properties {@code weft.preload} and
 * {@code weft.preload.argv} (JSON), read by the runtime before its node starts. Without
 * {@code --preload}, the role's preloads in {@code etc/preload.properties} run, with their
 * configured arguments unless the command line gives some.
 */
final class PreloadOptions {

    static final String PRELOAD = "weft.preload";
    static final String PRELOAD_ARGV = "weft.preload.argv";
    static final String NANNY_PRELOAD = "weft.nanny.preload";
    static final String NANNY_PRELOAD_ARGV = "weft.nanny.preload.argv";

    @Option(names = "--preload", paramLabel = "PRELOAD",
            description = "Code to run before this node opens a port or connects: a jar's path (a bundle naming its class in "
                    + "the Weft-Preload header), a class name in an installed bundle, or Java statements run with JShell. "
                    + "Repeat for several: set up in order, torn down in reverse. Options this command does not know go to "
                    + "the preload that declares them, e.g. --print-count. A preload that fails stops the start "
                    + "(default: ROLE.preload.N in etc/" + PreloadConfig.FILE + ").")
    private List<String> preloads = new ArrayList<>();

    /** The command's own {@code @Unmatched} arguments (picocli takes them only on a command, not a mixin). */
    private List<String> extra = List.of();

    /**
     * @param unmatched the arguments the command does not know, for the preloads
     * @return an error message, or null
     */
    String problem(PreloadConfig config, String role, List<String> unmatched) {
        this.extra = List.copyOf(unmatched);
        for (String preload : preloads) {
            if (preload.isBlank()) {
                return "--preload must not be empty: give a jar's path, a class name or Java statements";
            }
        }
        if (!extra.isEmpty() && preloads.isEmpty() && config.preloads(role).isEmpty()) {
            String first = extra.get(0);
            return first.startsWith("-") ? "Unknown option: '" + first + "' (options this command does not know go to"
                    + " --preload, and there is none)" : "Unexpected argument: '" + first + "'";
        }
        return null;
    }

    /** The role's preloads and their arguments: the command line's, else the configuration's. */
    void putInto(Map<String, String> properties, PreloadConfig config, String role) {
        List<String> chosen = preloads.isEmpty() ? config.preloads(role) : preloads;
        if (chosen.isEmpty()) {
            return;
        }
        properties.put(PRELOAD, JsonText.strings(chosen));
        if (!extra.isEmpty()) {
            properties.put(PRELOAD_ARGV, JsonText.strings(extra));
        } else if (preloads.isEmpty()) {
            properties.put(PRELOAD_ARGV, JsonText.lists(config.argv(role)));
        }
    }

    /** For the banner: "preloads: a, b", or empty. */
    String describe(PreloadConfig config, String role) {
        List<String> chosen = preloads.isEmpty() ? config.preloads(role) : preloads;
        return chosen.isEmpty() ? "" : ", " + chosen.size() + (chosen.size() == 1 ? " preload" : " preloads");
    }
}
