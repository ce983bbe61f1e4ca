package org.weft.plugins.resourcemonitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.weft.plugin.api.WorkerProcesses;

/**
 * A profile of a scheduler and its worker processes: each action runs here and, through the
 * {@code weft-profile} function, in every worker process (each records with its own settings); a
 * trace or report gathers every worker process's recording ({@link ProfileWire}) and writes one
 * file from them all ({@link ProfileMerge}).
 */
final class ClusterProfile {

    /** What a worker process's {@code weft-profile} answers with its recording, as a value ({@link ProfileWire}). */
    static final String RECORDING = "recording";

    private final Profiler profiler;
    private final Function<List<String>, List<String>> here;
    private final WorkerProcesses processes;
    private final Executor writer;

    ClusterProfile(Profiler profiler, Function<List<String>, List<String>> here, WorkerProcesses processes,
            Executor writer) {
        this.profiler = profiler;
        this.here = here;
        this.processes = processes;
        this.writer = writer;
    }

    CompletableFuture<List<String>> run(String action, List<String> args) {
        if (action.equals("trace") || action.equals("report")) {
            Path file = Path.of(args.get(1)).toAbsolutePath();
            return processes.runOnEach(ProfileFunction.NAME, List.of(RECORDING))
                    .thenApplyAsync(replies -> write(action, file, replies), writer);
        }
        List<String> lines = new ArrayList<>(here.apply(args));
        return processes.runOnEach(ProfileFunction.NAME, List.copyOf(args)).thenApply(replies -> {
            for (WorkerProcesses.Reply r : sorted(replies)) {
                if (r.error() != null) {
                    lines.add("worker " + r.worker() + ": " + r.error());
                } else {
                    for (String line : String.valueOf(r.value()).split("\\R")) {
                        lines.add("worker " + r.worker() + ": " + line);
                    }
                }
            }
            return lines;
        });
    }

    private List<String> write(String action, Path file, List<WorkerProcesses.Reply> replies) {
        ProfileData local = profiler.snapshot();
        if (local == null) {
            return List.of("nothing recorded yet: weft:profile start first");
        }
        List<ProfileMerge.Part> parts = new ArrayList<>();
        for (WorkerProcesses.Reply r : sorted(replies)) {
            parts.add(part(r));
        }
        ProfileData merged = ProfileMerge.merge(local, parts);
        try {
            if (action.equals("trace")) {
                TraceWriter.write(merged, file);
            } else {
                ReportWriter.write(merged, file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        long gathered = parts.stream().filter(p -> p.data() != null).count();
        List<String> lines = new ArrayList<>();
        lines.add(action + " written to " + file + " (this process and " + gathered + " of " + parts.size()
                + " worker process(es))");
        parts.stream().filter(p -> p.data() == null).forEach(p -> lines.add("worker " + p.worker() + ": " + p.problem()));
        return lines;
    }

    private static ProfileMerge.Part part(WorkerProcesses.Reply r) {
        if (r.error() != null) {
            return new ProfileMerge.Part(r.worker(), null, "no recording: " + r.error());
        }
        if (r.value() == null) {
            return new ProfileMerge.Part(r.worker(), null, "nothing recorded (it joined after the profile started?)");
        }
        try {
            return new ProfileMerge.Part(r.worker(), ProfileWire.fromWire(r.value()), null);
        } catch (IllegalArgumentException | ClassCastException | IndexOutOfBoundsException e) {
            return new ProfileMerge.Part(r.worker(), null, "sent a recording that cannot be read: " + e.getMessage());
        }
    }

    private static List<WorkerProcesses.Reply> sorted(List<WorkerProcesses.Reply> replies) {
        List<WorkerProcesses.Reply> out = new ArrayList<>(replies);
        out.sort(Comparator.comparing(WorkerProcesses.Reply::worker, ProfileData::naturalOrder));
        return out;
    }
}
