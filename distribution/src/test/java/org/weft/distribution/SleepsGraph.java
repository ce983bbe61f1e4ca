package org.weft.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;

/**
 * A graph file for {@code weft submit} that keeps workers busy a known time: {@code n} tasks
 * {@code s-i} sleeping {@code sleepMillis} each, {@code t-i = inc(s-i)} (so {@code i + 1}) and
 * {@code total}, their sum, {@link #total n(n+1)/2}.
 */
final class SleepsGraph {

    private SleepsGraph() {
    }

    /**
     * Writes the graph to {@code file}; its wanted keys are {@code total}, and every {@code t-i} if
     * {@code wantEveryIncrement} (then progress counts each), else only {@code t-0} and the last.
     */
    static Path write(Path file, int n, int sleepMillis, boolean wantEveryIncrement) throws IOException {
        StringJoiner tasks = new StringJoiner(",\n");
        StringJoiner refs = new StringJoiner(", ");
        StringJoiner keys = new StringJoiner(", ");
        keys.add("\"total\"");
        for (int i = 0; i < n; i++) {
            tasks.add("\"s-" + i + "\": {\"fn\": \"sleep\", \"args\": [" + sleepMillis + ", " + i + "]}");
            tasks.add("\"t-" + i + "\": {\"fn\": \"inc\", \"args\": [{\"ref\": \"s-" + i + "\"}]}");
            refs.add("{\"ref\": \"t-" + i + "\"}");
            if (wantEveryIncrement || i == 0 || i == n - 1) {
                keys.add("\"t-" + i + "\"");
            }
        }
        tasks.add("\"total\": {\"fn\": \"sum\", \"args\": [" + refs + "]}");
        return Files.writeString(file, "{\"tasks\": {\n" + tasks + "},\n \"keys\": [" + keys + "]}\n");
    }

    /** The value of {@code total}: the sum of {@code i + 1} for {@code i < n}. */
    static long total(int n) {
        return (long) n * (n + 1) / 2;
    }
}
