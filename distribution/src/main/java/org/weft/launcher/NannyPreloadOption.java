package org.weft.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * {@code --preload-nanny} of {@code bin/weft worker}: preloads for the worker's nanny (Dask's
 * {@code dask worker --preload-nanny}). The command line's extra arguments never go to them; their
 * arguments come from {@code nanny.preload-argv.N} in {@code etc/preload.properties}. Handed to the
 * nanny as the framework properties {@code weft.nanny.preload} and {@code weft.nanny.preload.argv}.
 */
final class NannyPreloadOption {

    @Option(names = "--preload-nanny", paramLabel = "PRELOAD",
            description = "Code for the worker's nanny, run before it starts the worker: a jar's path, a class name or Java "
                    + "statements, as --preload; repeat for several. The extra options of this command go to the worker's "
                    + "preloads, never to the nanny's: give theirs as nanny.preload-argv.N in etc/" + PreloadConfig.FILE
                    + " (default: nanny.preload.N there).")
    private List<String> preloads = new ArrayList<>();

    /** @return an error message, or null */
    String problem() {
        return preloads.stream().anyMatch(String::isBlank)
                ? "--preload-nanny must not be empty: give a jar's path, a class name or Java statements" : null;
    }

    /**
     * The worker runs without a nanny so far: says on stderr that the nanny preloads given are not
     * run (the seam where the nanny process takes them from {@code weft.nanny.preload}).
     */
    void warnWithoutNanny(PreloadConfig config) {
        if (!preloads.isEmpty() || !config.preloads("nanny").isEmpty()) {
            System.err.println("weft: WARNING this worker runs without a nanny, so its nanny preloads"
                    + " (--preload-nanny, nanny.preload.N) are not run");
        }
    }

    void putInto(Map<String, String> properties, PreloadConfig config) {
        List<String> chosen = preloads.isEmpty() ? config.preloads("nanny") : preloads;
        if (chosen.isEmpty()) {
            return;
        }
        properties.put(PreloadOptions.NANNY_PRELOAD, JsonText.strings(chosen));
        if (preloads.isEmpty()) {
            properties.put(PreloadOptions.NANNY_PRELOAD_ARGV, JsonText.lists(config.argv("nanny")));
        }
    }
}
