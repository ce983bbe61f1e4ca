package org.weft.plugins.resourcemonitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.weft.plugin.api.WorkerProcesses;

/**
 * The profile actions of one process ({@code start}, {@code stop}, {@code status}, {@code trace
 * FILE}, {@code report FILE}), as the shell and the {@code weft-profile} function take them: on
 * this process's {@link Profiler}, and, where there are worker processes (a scheduler process),
 * on theirs too ({@link ClusterProfile}). Thread-safe.
 */
final class ProfileService implements AutoCloseable {

    static final String USAGE = "usage: weft:profile start|stop|status|trace FILE|report FILE";

    private final Profiler profiler;
    private volatile ClusterProfile cluster;
    /** Writes gathered traces and reports: not on a transport thread, nor on the scheduler's loop. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "weft-profile-writer");
        t.setDaemon(true);
        return t;
    });

    ProfileService(Profiler profiler) {
        this.profiler = profiler;
    }

    Profiler profiler() {
        return profiler;
    }

    /** The worker processes a profile covers too; {@code null}: none (this process only). */
    void workerProcesses(WorkerProcesses processes) {
        cluster = processes == null ? null : new ClusterProfile(profiler, this::runHere, processes, writer);
    }

    /**
     * One action; with worker processes, on them too, and a trace or report holds their recordings.
     *
     * @return the lines to show (completed at once without worker processes)
     * @throws IllegalArgumentException for an unknown action or a missing file name
     */
    CompletableFuture<List<String>> run(List<String> args) {
        String action = args.isEmpty() ? "status" : args.get(0);
        if (!List.of("start", "stop", "status", "trace", "report").contains(action)) {
            throw new IllegalArgumentException("unknown action '" + action + "'; " + USAGE);
        }
        if ((action.equals("trace") || action.equals("report")) && args.size() < 2) {
            throw new IllegalArgumentException("usage: weft:profile " + action + " FILE");
        }
        ClusterProfile c = cluster;
        return c == null ? CompletableFuture.completedFuture(runHere(args)) : c.run(action, args);
    }

    /**
     * What the {@code weft-profile} function returns: the lines of {@link #run} as one string (a
     * stage of it), or, asked {@code recording} (by the scheduler, in a worker process), this
     * process's recording as a value ({@link ProfileWire}), {@code null} if there is none.
     */
    Object function(List<Object> args) {
        List<String> words = new ArrayList<>();
        for (Object a : args) {
            words.add(String.valueOf(a));
        }
        if (words.size() == 1 && ClusterProfile.RECORDING.equals(words.get(0))) {
            ProfileData d = profiler.snapshot();
            return d == null ? null : ProfileWire.toWire(d);
        }
        return run(words).thenApply(lines -> String.join(System.lineSeparator(), lines));
    }

    /** The action on this process's recording only. */
    List<String> runHere(List<String> args) {
        String action = args.isEmpty() ? "status" : args.get(0);
        switch (action) {
            case "start" -> {
                return List.of(profiler.start() ? "profiling started" : "profiling is already recording");
            }
            case "stop" -> {
                return List.of(profiler.stop() ? "profiling stopped" : "profiling was not recording");
            }
            case "status" -> {
                return profiler.status();
            }
            case "trace", "report" -> {
                Path file = Path.of(args.get(1)).toAbsolutePath();
                try {
                    boolean written = action.equals("trace") ? profiler.writeTrace(file) : profiler.writeReport(file);
                    return List.of(written ? action + " written to " + file : "nothing recorded yet: weft:profile start first");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
                }
            }
            default -> throw new IllegalArgumentException("unknown action '" + action + "'; " + USAGE);
        }
    }

    @Override
    public void close() {
        profiler.close();
        writer.shutdownNow();
    }
}
