package org.weft.launcher;

import java.util.Map;

import picocli.CommandLine.Option;

/** Options shared by the commands that start a cluster in this JVM. */
final class ClusterOptions {

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "Number of workers (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads per worker (default: cores / workers, at least 1).")
    private Integer threads;

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
        return null;
    }

    void putInto(Map<String, String> properties) {
        properties.put("weft.workers", String.valueOf(workers()));
        properties.put("weft.threads", String.valueOf(threads()));
    }

    String describe() {
        return workers() + " workers x " + threads() + " threads";
    }
}
