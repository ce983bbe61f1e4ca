package org.weft.local.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.weft.client.Client;
import org.weft.client.Graph;
import org.weft.client.ProgressBar;
import org.weft.client.WeftFuture;
import org.weft.protocol.TaskRef;

/**
 * The demo workload: a Monte-Carlo estimate of pi mapped over chunks ({@code pi-chunk}) and
 * tree-reduced with {@code sum}, submitted as one graph, with a progress bar.
 */
public final class PiDemo {

    /** Fan-in of each reduction step. */
    public static final int FAN_IN = 8;

    /**
     * @param pi the estimate
     * @param tasks how many tasks ran
     * @param seconds wall time from submission to result
     */
    public record Result(double pi, int tasks, double seconds) {
        public double tasksPerSecond() {
            return tasks / seconds;
        }
    }

    private PiDemo() {
    }

    /**
     * The graph: {@code pi-chunk-i} for each chunk, then {@code sum-L-j} levels down to one key.
     *
     * @param wantAll whether every key is wanted (so progress covers every task) or only the root
     */
    public static Graph graph(int chunks, long samplesPerChunk, boolean wantAll) {
        if (chunks < 1 || samplesPerChunk < 1) {
            throw new IllegalArgumentException("chunks and samples must be at least 1");
        }
        Graph.Builder g = Graph.builder();
        List<String> every = new ArrayList<>();
        List<String> level = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            String key = "pi-chunk-" + i;
            g.task(key, "pi-chunk", (long) i, samplesPerChunk);
            level.add(key);
            every.add(key);
        }
        int depth = 0;
        while (level.size() > 1) {
            depth++;
            List<String> next = new ArrayList<>((level.size() + FAN_IN - 1) / FAN_IN);
            for (int i = 0; i < level.size(); i += FAN_IN) {
                List<Object> refs = new ArrayList<>(FAN_IN);
                for (int j = i; j < Math.min(i + FAN_IN, level.size()); j++) {
                    refs.add(new TaskRef(level.get(j)));
                }
                String key = "sum-" + depth + "-" + next.size();
                g.task(key, "sum", refs.toArray());
                next.add(key);
                every.add(key);
            }
            level = next;
        }
        return g.keys(wantAll ? every.toArray(new String[0]) : new String[] {level.get(0)}).build();
    }

    /** Runs the workload, drawing progress on {@code out}; a terminal gets a redrawn bar. */
    public static Result run(Client client, int chunks, long samplesPerChunk, PrintStream out, boolean terminal) {
        Graph graph = graph(chunks, samplesPerChunk, true);
        long start = System.nanoTime();
        Map<String, WeftFuture> futures = client.compute(graph);
        client.progress(futures.values(), new ProgressBar(out, terminal)).await();
        String root = graph.tasks().get(graph.size() - 1).key();
        long inside = ((Number) futures.get(root).get(1, TimeUnit.HOURS)).longValue();
        double seconds = (System.nanoTime() - start) / 1e9;
        client.release(futures.values());
        double pi = 4.0 * inside / ((double) chunks * samplesPerChunk);
        return new Result(pi, graph.size(), seconds);
    }
}
