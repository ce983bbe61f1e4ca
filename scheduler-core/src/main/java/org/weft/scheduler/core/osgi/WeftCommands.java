package org.weft.scheduler.core.osgi;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.weft.client.Client;
import org.weft.client.FutureStatus;
import org.weft.client.Graph;
import org.weft.client.ProgressBar;
import org.weft.client.TaskFailedException;
import org.weft.client.WeftFuture;
import org.weft.plugin.api.SchedulerTaskState;
import org.weft.pluginhost.PluginStatus;
import org.weft.scheduler.core.cluster.SchedulerService;
import org.weft.scheduler.core.state.CancelOutcome;
import org.weft.scheduler.core.state.TaskState;
import org.weft.scheduler.core.state.WorkerRecord;

/**
 * The {@code weft:} shell commands. Each question goes to the loop that owns the state and waits
 * for the answer, so what is printed is a consistent snapshot. Output goes to the shell session.
 */
@Component(service = Object.class, property = {"osgi.command.scope=weft",
        "osgi.command.function=status", "osgi.command.function=workers", "osgi.command.function=tasks",
        "osgi.command.function=story", "osgi.command.function=plugins", "osgi.command.function=submit",
        "osgi.command.function=cancel", "osgi.command.function=restart", "osgi.command.function=events",
        "osgi.command.function=retire"})
public final class WeftCommands {

    private static final long TIMEOUT_SECONDS = 30;
    private static final int TASK_LIMIT = 100;

    private final SchedulerService cluster;
    /** Sources of node figures (the GPU plugin's): {@code weft:workers} shows what each describes. */
    private final List<org.weft.plugin.api.MetricsSource> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicReference<org.weft.scheduler.core.remote.SchedulerServer> server =
            new java.util.concurrent.atomic.AtomicReference<>();

    @Activate
    public WeftCommands(@Reference RunningScheduler running) {
        this(running.service());
    }

    /** Commands on a cluster outside OSGi (tests). */
    WeftCommands(SchedulerService cluster) {
        this.cluster = cluster;
    }

    @org.osgi.service.component.annotations.Reference(
            cardinality = org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    void bindMetricsSource(org.weft.plugin.api.MetricsSource source) {
        sources.add(source);
    }

    void unbindMetricsSource(org.weft.plugin.api.MetricsSource source) {
        sources.remove(source);
    }

    /** The scheduler's TCP server, in a scheduler process only: {@code weft:status} shows its transport counts. */
    @org.osgi.service.component.annotations.Reference(
            cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    void bindSchedulerServer(SchedulerServerComponent component) {
        listenWith(component.server());
    }

    void unbindSchedulerServer(SchedulerServerComponent component) {
        server.compareAndSet(component.server(), null);
    }

    /** The scheduler's TCP server these commands report on (bound by DS; tests set it). */
    void listenWith(org.weft.scheduler.core.remote.SchedulerServer listening) {
        server.set(listening);
    }

    private static <T> T await(CompletableFuture<T> answer) throws Exception {
        return answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static PrintStream out() {
        return System.out;
    }

    @Descriptor("Show the scheduler: workers, tasks by state, clients, plugins")
    public void status() throws Exception {
        String text = await(cluster.scheduler().query(s -> {
            StringBuilder b = new StringBuilder();
            int threads = 0;
            for (WorkerRecord w : s.workers().values()) {
                threads += w.nthreads();
            }
            b.append("scheduler: ").append(cluster.address()).append(System.lineSeparator());
            b.append("workers: ").append(s.workers().size()).append(" (").append(threads).append(" threads)")
                    .append(System.lineSeparator());
            b.append("clients: ").append(s.clients().size()).append(System.lineSeparator());
            b.append("tasks: ").append(s.tasks().size());
            Map<SchedulerTaskState, Integer> counts = s.countByState();
            if (!counts.isEmpty()) {
                b.append(' ').append(counts);
            }
            b.append(System.lineSeparator());
            b.append("transitions: ").append(s.transitionCount()).append(System.lineSeparator());
            return b.toString();
        }));
        List<PluginStatus> plugins = await(cluster.pluginStatus());
        long active = plugins.stream().filter(p -> p.state() == org.weft.pluginhost.PluginState.ACTIVE).count();
        out().print(text);
        out().println("plugins: " + active + " active, " + plugins.size() + " listed (weft:plugins)");
        org.weft.scheduler.core.remote.SchedulerServer listening = server.get();
        if (listening != null) {
            out().print(transportStatus(listening.transportStats()));
        }
    }

    /**
     * The lines {@code weft:status} adds for a scheduler that listens on TCP, from its transport
     * counts ({@code TransportStats.snapshot()} keys): links and connections, refusals by reason,
     * protocol errors by kind, frames and bytes each way.
     */
    static String transportStatus(Map<String, Long> stats) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder("transport: ").append(count(stats, "links.open")).append(" links open, ")
                .append(count(stats, "connections.accepted")).append(" connections accepted");
        long paused = count(stats, "reads.paused");
        if (paused > 0) {
            b.append(", reads paused ").append(paused).append(" times");
        }
        b.append(nl);
        b.append("transport refused: ").append(byKind(stats, "refused.")).append(nl);
        b.append("transport errors: ").append(byKind(stats, "errors.")).append(nl);
        b.append("transport in: ").append(count(stats, "frames.in")).append(" frames, ").append(count(stats, "bytes.in"))
                .append(" bytes; out: ").append(count(stats, "frames.out")).append(" frames, ")
                .append(count(stats, "bytes.out")).append(" bytes").append(nl);
        return b.toString();
    }

    private static long count(Map<String, Long> stats, String key) {
        Long n = stats.get(key);
        return n == null ? 0 : n;
    }

    /** {@code 7 (version 1, token 6)}: the total of the counters under {@code prefix}, then each. */
    private static String byKind(Map<String, Long> stats, String prefix) {
        long total = 0;
        List<String> kinds = new ArrayList<>();
        for (Map.Entry<String, Long> e : stats.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                total += e.getValue();
                kinds.add(e.getKey().substring(prefix.length()) + " " + e.getValue());
            }
        }
        return total + (kinds.isEmpty() ? "" : " (" + String.join(", ", kinds) + ")");
    }

    @Descriptor("List the workers: threads, resources, tasks processing, occupancy, idle or saturated, results held,"
            + " and devices (GPUs) when the GPU plugin runs")
    public void workers() throws Exception {
        // in-process workers share this machine's devices; each source says what it found
        String devices = sources.isEmpty() ? null : String.join("; ", sources.stream()
                .map(m -> m.name() + ": " + m.describe()).toList());
        // worker processes: shown with the name they gave; their devices are their machines', not known here
        org.weft.scheduler.core.remote.SchedulerServer listening = server.get();
        Map<String, String> remote = listening == null ? Map.of() : listening.workerNames();
        TextTable table = await(cluster.scheduler().query(s -> {
            TextTable t = devices == null
                    ? new TextTable("WORKER", "THREADS", "RESOURCES", "PROCESSING", "OCCUPANCY-S", "LOAD", "IN-MEMORY", "BYTES")
                    : new TextTable("WORKER", "THREADS", "RESOURCES", "PROCESSING", "OCCUPANCY-S", "LOAD", "IN-MEMORY", "BYTES",
                            "DEVICES");
            java.util.Set<String> idle = s.idleWorkers();
            java.util.Set<String> saturated = s.saturatedWorkers();
            for (WorkerRecord w : s.workers().values()) {
                String load = saturated.contains(w.address()) ? "saturated" : idle.contains(w.address()) ? "idle" : "busy";
                String name = remote.get(w.address());
                Object[] row = {workerLabel(w.address(), name), w.nthreads(), resources(w.resources()), w.processingCount(),
                        String.format(Locale.ROOT, "%.2f", w.occupancy()), load, w.hasWhatCount(), w.nbytes(),
                        remote.containsKey(w.address()) ? "-" : devices};
                t.row(devices == null ? java.util.Arrays.copyOf(row, 8) : row);
            }
            return t;
        }));
        out().print(table);
    }

    /** A worker's address, with the name it gave when that is not its address: {@code gpu-1 (tcp://…)}. */
    static String workerLabel(String address, String name) {
        return name == null || name.equals(address) ? address : name + " (" + address + ")";
    }

    /** {@code GPU=1,MEMORY=8000000000}, as given on the command line; {@code -} if none. */
    static String resources(Map<String, Double> resources) {
        if (resources.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        new java.util.TreeMap<>(resources).forEach((name, quantity) -> {
            text.append(text.length() == 0 ? "" : ",").append(name).append('=');
            boolean whole = quantity == Math.rint(quantity) && Math.abs(quantity) < 1e15;
            text.append(whole ? String.valueOf(quantity.longValue()) : String.valueOf(quantity));
        });
        return text.toString();
    }

    @Descriptor("List tasks (at most 100)")
    public void tasks() throws Exception {
        tasks(null);
    }

    @Descriptor("List tasks in one state (released, waiting, no-worker, queued, processing, memory, erred)")
    public void tasks(@Descriptor("state") String state) throws Exception {
        SchedulerTaskState filter = state == null ? null : SchedulerTaskState.parse(state);
        TextTable table = await(cluster.scheduler().query(s -> {
            TextTable t = new TextTable("KEY", "STATE", "FUNCTION", "WORKER", "NBYTES", "DEPENDENCIES");
            int total = 0;
            for (TaskState ts : s.tasks().values()) {
                if (filter != null && ts.state() != filter) {
                    continue;
                }
                total++;
                if (t.size() < TASK_LIMIT) {
                    String worker = ts.processingOn() != null ? ts.processingOn()
                            : ts.whoHas().isEmpty() ? null : String.join(",", ts.whoHas());
                    t.row(ts.key(), ts.state(), ts.function(), worker, ts.nbytes() < 0 ? null : ts.nbytes(),
                            ts.dependencies().size());
                }
            }
            if (total > t.size()) {
                t.row("... " + (total - t.size()) + " more", "", "", "", "", "");
            }
            return t;
        }));
        if (table.size() == 0) {
            out().println(filter == null ? "no tasks" : "no tasks in state " + filter);
        } else {
            out().print(table);
        }
    }

    @Descriptor("Usage of weft:story")
    public void story() {
        out().println("usage: weft:story <key> (keys: weft:tasks)");
    }

    @Descriptor("Tell what happened to a task: its transitions on the scheduler and the workers, and why")
    public void story(@Descriptor("task key") String key) throws Exception {
        // the scheduler's entries and every worker's, those in other processes included
        List<org.weft.protocol.StoryEntry> lines = await(cluster.story(List.of(key)));
        if (lines.isEmpty()) {
            out().println("no story for '" + key + "' (unknown key, or older than the story log)");
            return;
        }
        TextTable t = new TextTable("TIME", "WHERE", "START", "FINISH", "STIMULUS");
        for (org.weft.protocol.StoryEntry r : lines) {
            t.row(java.time.Instant.ofEpochMilli(r.timestampMillis()), r.where(), r.start(), r.finish(), r.stimulusId());
        }
        out().print(t);
    }

    @Descriptor("List plugins: name, kind, where, bundle, state, calls, errors, time per call, delivery")
    public void plugins() throws Exception {
        List<PluginStatus> all = await(cluster.pluginStatus());
        if (all.isEmpty()) {
            out().println("no plugins");
            return;
        }
        TextTable t = new TextTable("NAME", "KIND", "WHERE", "BUNDLE", "VERSION", "STATE", "CALLS", "ERRORS",
                "MEAN-US", "MAX-US", "DELIVERY", "DROPPED", "FAILURE");
        for (PluginStatus p : all) {
            t.row(p.name(), p.kind().name().toLowerCase(Locale.ROOT), p.where(), p.bundle(), p.version(), p.state(),
                    p.calls(), p.errors(), String.format(Locale.ROOT, "%.1f", p.meanNanos() / 1000.0),
                    String.format(Locale.ROOT, "%.1f", p.maxNanos() / 1000.0), p.delivery(), p.dropped(),
                    p.failure());
        }
        out().print(t);
        for (PluginStatus p : all) {
            if (p.statusLine() != null) {
                out().println(p.name() + ": " + p.statusLine());
            }
        }
    }

    @Descriptor("Run a graph file (JSON) on the cluster and print the wanted results")
    public void submit(@Descriptor("graph.json") String file) throws Exception {
        Graph graph;
        try {
            graph = Graph.read(Path.of(file));
        } catch (IOException | IllegalArgumentException e) {
            out().println("cannot read graph: " + reason(e));
            return;
        }
        try (Client client = cluster.client()) {
            Map<String, WeftFuture> futures = client.compute(graph);
            client.progress(futures.values(), new ProgressBar(out(), false)).await();
            for (Map.Entry<String, WeftFuture> e : futures.entrySet()) {
                WeftFuture f = e.getValue();
                if (f.status() == FutureStatus.FINISHED) {
                    out().println(e.getKey() + " = " + f.get());
                } else {
                    try {
                        f.get();
                    } catch (TaskFailedException failure) {
                        out().println(e.getKey() + ": ERROR " + failure.getMessage());
                    } catch (RuntimeException other) {
                        out().println(e.getKey() + ": " + f.status() + " " + other.getMessage());
                    }
                }
            }
        } catch (org.weft.client.GraphRejectedException e) {
            out().println(e.getMessage());
        }
    }

    /** Why a graph file could not be read, in words: the JDK's file exceptions carry only the path. */
    static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException missing) {
            return missing.getFile() + ": no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException other) {
            return other.getFile() + ": " + (other.getReason() != null ? other.getReason() : other.getClass().getSimpleName());
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text (" + e + ")";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    // ---------------------------------------------------------------- control (cancel, restart, events)

    private static final int EVENT_LIMIT = 100;

    @Descriptor("Cancel tasks and their dependents: weft:cancel <key>... [--force]. Without --force a key"
            + " several clients want is kept; with it, it is cancelled for every client")
    public void cancel(@Descriptor("keys, and --force (-f) to cancel for every client") String... args)
            throws Exception {
        List<String> keys = new ArrayList<>();
        boolean force = false;
        for (String a : args == null ? new String[0] : args) {
            if ("--force".equals(a) || "-f".equals(a)) {
                force = true;
            } else {
                keys.add(a);
            }
        }
        if (keys.isEmpty()) {
            out().println("usage: weft:cancel <key>... [--force]");
            return;
        }
        CancelOutcome outcome = await(cluster.scheduler().cancel(null, keys, force));
        if (!outcome.cancelled().isEmpty()) {
            out().println("cancelled " + outcome.cancelled().size() + " key(s) and their dependents: "
                    + String.join(", ", outcome.cancelled()));
        }
        if (!outcome.kept().isEmpty()) {
            out().println("kept, wanted by several clients (use --force): " + String.join(", ", outcome.kept()));
        }
        if (!outcome.unknown().isEmpty()) {
            out().println("unknown: " + String.join(", ", outcome.unknown()));
        }
    }

    @Descriptor("Restart the scheduler: clear all tasks (clients see their futures cancelled with reason 'restart'),"
            + " reset every worker; a worker process under a nanny is replaced by a fresh one, and this waits (at most"
            + " 120 s) until each has joined again; clients and plugins stay")
    public void restart() throws Exception {
        restart(org.weft.scheduler.core.remote.SchedulerServer.RESTART_TIMEOUT_MILLIS / 1000);
    }

    @Descriptor("Restart the scheduler, waiting at most this many seconds for the workers under nannies to join again")
    public void restart(@Descriptor("seconds to wait for the workers under nannies") long seconds) throws Exception {
        if (seconds < 1) {
            out().println("usage: weft:restart [SECONDS], SECONDS at least 1");
            return;
        }
        int tasks = await(cluster.scheduler().query(s -> s.tasks().size()));
        List<String> back;
        try {
            back = cluster.restart(null, TimeUnit.SECONDS.toMillis(seconds)).get(seconds + TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            out().println("restarted: " + tasks + " task(s) cleared, but " + e.getCause().getMessage());
            return;
        }
        int workers = await(cluster.scheduler().query(s -> s.workers().size()));
        out().println("restarted: " + tasks + " task(s) cleared, " + workers + " worker(s) reset"
                + (back.isEmpty() ? "" : "; " + back.size() + " under nannies came back as fresh processes: "
                        + String.join(", ", back)));
    }

    @Descriptor("List the event topics with how many events each got")
    public void events() throws Exception {
        Map<String, Long> counts = await(cluster.scheduler().eventCounts());
        if (counts.isEmpty()) {
            out().println("no events");
            return;
        }
        TextTable t = new TextTable("TOPIC", "EVENTS");
        counts.forEach(t::row);
        out().print(t);
    }

    @Descriptor("Show the recent events of one topic (at most 100, newest last)")
    public void events(@Descriptor("topic") String topic) throws Exception {
        List<org.weft.plugin.api.LogEvent> events = await(cluster.scheduler().events(topic));
        if (events.isEmpty()) {
            out().println("no events in topic '" + topic + "'");
            return;
        }
        TextTable t = new TextTable("TIME", "TOPIC", "MESSAGE");
        for (org.weft.plugin.api.LogEvent e : events.subList(Math.max(0, events.size() - EVENT_LIMIT), events.size())) {
            t.row(java.time.Instant.ofEpochMilli(e.timestampMillis()), e.topic(), String.valueOf(e.message()));
        }
        out().print(t);
    }

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    private static final int KEYS_SHOWN = 10;

    @Descriptor("Retire workers: move the results only they hold to other workers, then close them")
    public void retire(@Descriptor("worker addresses (inproc://worker-1) or names (worker-1)") String... workers)
            throws Exception {
        if (workers == null || workers.length == 0) {
            out().println("usage: weft:retire <worker>... (see weft:workers)");
            return;
        }
        List<String> known = await(cluster.scheduler().query(s -> List.copyOf(s.workers().keySet())));
        List<String> addresses = new ArrayList<>();
        for (String w : workers) {
            addresses.add(resolveWorker(w, known));
        }
        for (org.weft.protocol.RetireOutcome o : await(cluster.retireWorkers(addresses))) {
            out().print(describe(o));
        }
    }

    /** A full address as is; a bare name ({@code worker-1}) when exactly one worker's address ends with it. */
    private static String resolveWorker(String name, List<String> known) {
        if (known.contains(name)) {
            return name;
        }
        List<String> matches = known.stream().filter(a -> a.endsWith("/" + name)).toList();
        return matches.size() == 1 ? matches.get(0) : name;
    }

    private static String describe(org.weft.protocol.RetireOutcome o) {
        String nl = System.lineSeparator();
        if (!o.retired()) {
            return "not retired " + o.worker() + ": " + o.reason() + nl;
        }
        StringBuilder b = new StringBuilder("retired ").append(o.worker());
        if (o.movedTo().isEmpty()) {
            return b.append(": it held no result that only it had").append(nl).toString();
        }
        Map<String, List<String>> byTarget = new java.util.TreeMap<>();
        o.movedTo().forEach((key, target) -> byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(key));
        b.append(": ").append(o.movedTo().size()).append(" result").append(o.movedTo().size() == 1 ? "" : "s")
                .append(" moved").append(nl);
        byTarget.forEach((target, keys) -> {
            java.util.Collections.sort(keys);
            b.append("  ").append(keys.size()).append(" to ").append(target).append(": ")
                    .append(String.join(", ", keys.subList(0, Math.min(KEYS_SHOWN, keys.size()))));
            if (keys.size() > KEYS_SHOWN) {
                b.append(", ... ").append(keys.size() - KEYS_SHOWN).append(" more");
            }
            b.append(nl);
        });
        return b.toString();
    }
}
