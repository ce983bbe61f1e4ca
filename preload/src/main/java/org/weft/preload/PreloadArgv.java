package org.weft.preload;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The arguments given to a node's preloads, and Dask's rules for who gets them: the command
 * line's extra arguments ({@link #flat}) go to every preload, and at most one may declare options
 * (the one that takes them); the configuration gives each preload its own list
 * ({@link #perPreload}), as many lists as preloads.
 */
public final class PreloadArgv {

    private static final PreloadArgv NONE = new PreloadArgv(List.of(), null);

    private final List<String> flat;
    private final List<List<String>> perPreload;

    private PreloadArgv(List<String> flat, List<List<String>> perPreload) {
        this.flat = flat;
        this.perPreload = perPreload;
    }

    public static PreloadArgv none() {
        return NONE;
    }

    /** The command line's extra arguments, for every preload. */
    public static PreloadArgv flat(List<String> argv) {
        return argv.isEmpty() ? NONE : new PreloadArgv(List.copyOf(argv), null);
    }

    /** One list per preload, in order (configuration); all empty is the same as none. */
    public static PreloadArgv perPreload(List<List<String>> lists) {
        List<List<String>> copy = lists.stream().map(List::copyOf).toList();
        return copy.stream().allMatch(List::isEmpty) ? NONE : new PreloadArgv(List.of(), copy);
    }

    public boolean isEmpty() {
        return this == NONE;
    }

    /**
     * Each preload's arguments.
     *
     * @param declares for each preload, whether it declares options
     * @throws PreloadException when the arguments fit no preload, or could go to several
     */
    List<List<String>> assign(List<PreloadSpec> specs, List<Boolean> declares) throws PreloadException {
        int n = specs.size();
        List<List<String>> assigned = new ArrayList<>();
        if (perPreload != null) {
            if (perPreload.size() != n) {
                throw new PreloadException("the preload arguments name " + perPreload.size() + " lists for " + n
                        + " preloads (" + labels(specs) + "): give one list per preload, empty where it takes none");
            }
            return perPreload;
        }
        List<PreloadSpec> takers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (declares.get(i)) {
                takers.add(specs.get(i));
            }
        }
        if (!flat.isEmpty() && takers.isEmpty()) {
            throw new PreloadException("unknown " + (flat.size() == 1 ? "argument " : "arguments ") + String.join(" ", flat)
                    + (n == 0 ? ": there is no preload to take them" : ": no preload declares options (" + labels(specs) + ")"));
        }
        if (!flat.isEmpty() && takers.size() > 1) {
            throw new PreloadException("the extra arguments " + String.join(" ", flat) + " could go to several preloads that"
                    + " declare options (" + labels(takers) + "): give each its own arguments in the configuration");
        }
        for (int i = 0; i < n; i++) {
            assigned.add(declares.get(i) ? flat : List.of());
        }
        return assigned;
    }

    private static String labels(List<PreloadSpec> specs) {
        return specs.stream().map(PreloadSpec::label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return perPreload != null ? perPreload.toString() : flat.toString();
    }
}
