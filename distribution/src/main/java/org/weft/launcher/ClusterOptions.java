package org.weft.launcher;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Option;

/** Options shared by the commands that start a cluster in this JVM. */
final class ClusterOptions {

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "Number of workers (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads per worker (default: cores / workers, at least 1).")
    private Integer threads;

    @Option(names = "--resources", paramLabel = "NAME=QTY[,...]",
            description = "Abstract resources each worker offers, e.g. GPU=1,MEMORY=8e9: a task asking for some "
                    + "runs only where they are free. Overrides worker.resources in etc/org.weft.scheduler.cfg "
                    + "(default: none).")
    private String resources;

    /** One NAME=QUANTITY: a name as in Java identifiers (plus . and -), a non-negative decimal number. */
    private static final Pattern RESOURCE = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*=\\s*(\\d+(\\.\\d*)?([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)\\s*");

    /** NAME=auto, for a worker process. */
    private static final Pattern AUTO = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*=\\s*auto\\s*");

    int workers() {
        return workers;
    }

    int threads() {
        return threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    }

    /** @return an error message, or null when the values are usable */
    String problem() {
        if (workers < 1) {
            return "--workers must be at least 1, was " + workers;
        }
        if (threads != null && threads < 1) {
            return "--threads must be at least 1, was " + threads;
        }
        return resources == null ? null : resourcesProblem(resources);
    }

    /** @return an error message, or null when {@code spec} is NAME=QUANTITY[,...] with distinct names */
    static String resourcesProblem(String spec) {
        String problem = resourcesProblem(spec, true);
        return problem != null ? problem : resourcesProblem(spec, false) == null ? null
                : "--resources NAME=auto is for weft worker (a worker process counts what its plugins find, e.g. "
                        + "GPU=auto); here give a number, e.g. GPU=1";
    }

    /**
     * @param auto whether {@code NAME=auto} is allowed (a worker process: a plugin counts it)
     * @return an error message, or null when {@code spec} is NAME=QUANTITY[,...] with distinct names
     */
    static String resourcesProblem(String spec, boolean auto) {
        Set<String> names = new HashSet<>();
        for (String part : spec.split(",", -1)) {
            Matcher m = RESOURCE.matcher(part);
            Matcher a = AUTO.matcher(part);
            if (auto && a.matches()) {
                m = a;
            } else if (!m.matches()) {
                return "--resources must be NAME=QUANTITY[,NAME=QUANTITY...] with a non-negative number,"
                        + " e.g. GPU=1,MEMORY=8e9; bad part '" + part.trim() + "' in '" + spec + "'";
            }
            if (!names.add(m.group(1))) {
                return "--resources names '" + m.group(1) + "' twice in '" + spec + "'";
            }
        }
        return null;
    }

    void putInto(Map<String, String> properties) {
        properties.put("weft.workers", String.valueOf(workers()));
        properties.put("weft.threads", String.valueOf(threads()));
        if (resources != null) {
            properties.put("weft.resources", resources.trim());
        }
    }

    String describe() {
        return workers() + " workers x " + threads() + " threads" + (resources == null ? "" : ", resources " + resources.trim());
    }
}
