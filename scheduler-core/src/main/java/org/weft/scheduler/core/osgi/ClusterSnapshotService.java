package org.weft.scheduler.core.osgi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.node.wire.StatusWire;
import org.weft.plugin.api.ProcessSamples;
import org.weft.pluginhost.PluginStatus;
import org.weft.scheduler.core.cluster.SchedulerService;
import org.weft.scheduler.core.remote.SchedulerServer;
import org.weft.scheduler.core.state.SchedulerState;
import org.weft.scheduler.core.state.WorkerRecord;

/**
 * A read-only snapshot of the scheduler, for the dashboard and {@code /metrics}: a service of JDK
 * types only ({@code Supplier<CompletableFuture<Map<String, Object>>>}, property
 * {@code weft.snapshot=cluster}), so a bundle reads it without seeing scheduler-core's private
 * classes. It exists where a scheduler runs ({@code local}, {@code scheduler}, {@code demo}).
 *
 * <p>Each call asks the scheduler loop once and answers a JSON-able map (the contract; keys are
 * only ever added):
 * <ul>
 * <li>{@code address}, {@code clients} (count), {@code totalTasks}, {@code transitions} (since start);
 * <li>{@code tasks}: state label → count; {@code prefixes}: key prefix → (state label → count);
 * <li>{@code workers}: a list of maps {@code address}, {@code name}, {@code remote}, {@code nthreads},
 *     {@code resources} (name → quantity), {@code processing}, {@code occupancy} (seconds),
 *     {@code inMemory}, {@code nbytes}, {@code load} ({@code idle}, {@code busy}, {@code saturated}),
 *     and for a worker process once it has sent a heartbeat, {@code process}: what that heartbeat said
 *     about it ({@code WorkerFigures}: its own task counts by state, bytes held, transfers, CPU, memory);
 *     a worker with {@code remote} false runs in the scheduler's own process and has no figures of its
 *     own: that process's are {@code schedulerProcess};
 * <li>{@code schedulerProcess}: while a {@link ProcessSamples} service (the resource monitor, while it
 *     records) has a current sample, this process's {@code cpu} (cores, between its last two samples;
 *     -1 unknown), {@code rssBytes}, {@code heapUsedBytes} (-1 unknown), {@code timeMillis} (when
 *     sampled), and {@code workers}: how many workers run in it and share these figures; else
 *     {@code null} (present, so that a page merging changed entries sees it go);
 * <li>{@code plugins}: a list of maps as a worker process sends them ({@code StatusWire.plugin}):
 *     {@code name}, {@code kind}, {@code where}, {@code bundle}, {@code version}, {@code state},
 *     {@code async}, {@code queueCapacity}, {@code overflow} (when asynchronous), {@code calls},
 *     {@code errors}, {@code meanNanos}, {@code maxNanos}, {@code dropped}, {@code failure},
 *     {@code statusLine} (asked of the workers at most once a second: up to a second old);
 * <li>{@code events}: topic → events logged; {@code loop}: {@code busyNanos} (monotonic),
 *     {@code queued} (stimuli waiting for the loop); {@code transport}: the TCP server's
 *     counts ({@code TransportStats} keys), in a scheduler process only;
 * <li>{@code timeMillis}: when it was taken.
 * </ul>
 * It costs O(key prefixes + workers) on the loop, not O(tasks): the scheduler keeps each prefix's
 * counts by state as its tasks move; callers ask a few times a second at most.
 *
 * <p>The same service, as a {@code BiFunction<String, String, CompletableFuture<?>>}, answers two
 * questions with exported types: {@code ("story", key)} → {@code List<StoryEntry>} (the scheduler's
 * and every worker's, as {@code weft:story}), {@code ("events", topic)} → {@code List<LogEvent>}
 * (the topic's recent events, as {@code weft:events}). Another question fails with
 * {@link IllegalArgumentException}.
 */
@Component(service = {Supplier.class, BiFunction.class}, property = "weft.snapshot=cluster")
public final class ClusterSnapshotService
        implements Supplier<CompletableFuture<Map<String, Object>>>, BiFunction<String, String, CompletableFuture<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSnapshotService.class);

    private final SchedulerService cluster;
    /**
     * The scheduler's TCP server, in a scheduler process: only its reference is bound, and the
     * component is fetched when a snapshot is taken, so binding never waits for (or, under load,
     * times out on) the server component's activation, which runs at the same time as ours.
     */
    private final AtomicReference<ServiceReference<SchedulerServerComponent>> server = new AtomicReference<>();
    private final BundleContext context;
    /** How old the plugins' status in a snapshot may be: asking costs a message to each worker process. */
    static final long PLUGINS_MAX_AGE_NANOS = 1_000_000_000L;
    private CompletableFuture<List<PluginStatus>> pluginsAsked;
    private long pluginsAskedNanos;
    private volatile List<PluginStatus> pluginsKnown;
    private final AtomicReference<ProcessSamples> processSamples = new AtomicReference<>();
    /** The TCP server of a scheduler made outside OSGi; null in OSGi, where {@link #server} tells it. */
    private final SchedulerServer outsideOsgi;

    @Activate
    public ClusterSnapshotService(BundleContext context, @Reference RunningScheduler running) {
        this.cluster = running.service();
        this.context = context;
        this.outsideOsgi = null;
    }

    /** Snapshots of a cluster made outside OSGi (tests, benchmarks). */
    public ClusterSnapshotService(SchedulerService cluster) {
        this(cluster, null);
    }

    /** Snapshots of a cluster made outside OSGi whose worker processes join through {@code server}. */
    public ClusterSnapshotService(SchedulerService cluster, SchedulerServer server) {
        this.cluster = cluster;
        this.context = null;
        this.outsideOsgi = server;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSchedulerServer(ServiceReference<SchedulerServerComponent> ref) {
        server.set(ref);
    }

    void unbindSchedulerServer(ServiceReference<SchedulerServerComponent> ref) {
        server.compareAndSet(ref, null);
    }

    /** The TCP server now, or null (a local cluster, or one stopping). */
    private SchedulerServer listening() {
        ServiceReference<SchedulerServerComponent> ref = server.get();
        if (ref == null || context == null) {
            return outsideOsgi;
        }
        SchedulerServerComponent component = context.getService(ref);
        try {
            return component == null ? null : component.server();
        } finally {
            if (component != null) {
                context.ungetService(ref);
            }
        }
    }

    /** This process's latest CPU and memory (the resource monitor's), when some bundle offers them. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindProcessSamples(ProcessSamples samples) {
        processSamples.set(samples);
    }

    public void unbindProcessSamples(ProcessSamples samples) {
        processSamples.compareAndSet(samples, null);
    }

    @Override
    public CompletableFuture<Map<String, Object>> get() {
        SchedulerServer listening = listening();
        Map<String, String> names = listening == null ? Map.of() : listening.workerNames();
        Map<String, Map<String, Object>> figures = listening == null ? Map.of() : listening.workerFigures();
        CompletableFuture<Map<String, Object>> state = cluster.scheduler().query(s -> fromState(s, names, figures));
        return state.thenCombine(plugins(), (out, plugins) -> {
            addSchedulerProcess(out);
            out.put("plugins", plugins.stream().map(StatusWire::plugin).toList());
            Map<String, Object> loop = new LinkedHashMap<>();
            loop.put("busyNanos", cluster.scheduler().loopBusyNanos());
            loop.put("queued", cluster.scheduler().loopQueueLength());
            out.put("loop", loop);
            if (listening != null) {
                out.put("transport", new TreeMap<>(listening.transportStats()));
            }
            out.put("timeMillis", System.currentTimeMillis());
            return out;
        }).thenCombine(cluster.scheduler().eventCounts(), (out, events) -> {
            out.put("events", new TreeMap<>(events));
            return out;
        });
    }

    /**
     * {@code schedulerProcess}: the latest sample of this process, if a {@link ProcessSamples} has one
     * (a plugin's code: what it throws counts as none), with the number of workers in it; else null.
     */
    private void addSchedulerProcess(Map<String, Object> out) {
        out.put("schedulerProcess", null);
        ProcessSamples source = processSamples.get();
        ProcessSamples.Sample sample;
        try {
            sample = source == null ? null : source.latest();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("no sample of this process this time", e);
            return;
        }
        if (sample == null) {
            return;
        }
        long inProcess = out.get("workers") instanceof List<?> workers
                ? workers.stream().filter(w -> w instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("remote"))).count()
                : 0;
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("cpu", sample.cpuCores() < 0 ? -1.0 : sample.cpuCores());
        process.put("rssBytes", sample.residentBytes());
        process.put("heapUsedBytes", sample.heapUsedBytes());
        process.put("timeMillis", sample.timeMillis());
        process.put("workers", inProcess);
        out.put("schedulerProcess", process);
    }

    /**
     * Every plugin's status, asked of the scheduler and every worker (a message to each worker
     * process) at most once per {@link #PLUGINS_MAX_AGE_NANOS}: snapshots in between answer the
     * last list, and while a new one is asked they answer the one before.
     */
    private synchronized CompletableFuture<List<PluginStatus>> plugins() {
        long now = System.nanoTime();
        if (pluginsAsked == null || pluginsAsked.isDone() && (pluginsAsked.isCompletedExceptionally()
                || now - pluginsAskedNanos >= PLUGINS_MAX_AGE_NANOS)) {
            pluginsAsked = cluster.pluginStatus();
            pluginsAskedNanos = now;
            pluginsAsked.thenAccept(list -> pluginsKnown = list);
        }
        List<PluginStatus> known = pluginsKnown;
        return pluginsAsked.isDone() || known == null ? pluginsAsked : CompletableFuture.completedFuture(known);
    }

    @Override
    public CompletableFuture<?> apply(String question, String argument) {
        if (argument == null || argument.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(question + ": nothing asked about"));
        }
        return switch (question) {
            case "story" -> cluster.story(List.of(argument));
            case "events" -> cluster.scheduler().events(argument);
            default -> CompletableFuture.failedFuture(new IllegalArgumentException(
                    "unknown question '" + question + "' (story, events)"));
        };
    }

    /** The part read on the scheduler loop. */
    private Map<String, Object> fromState(SchedulerState s, Map<String, String> names,
            Map<String, Map<String, Object>> figures) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", cluster.address());
        out.put("clients", s.clients().size());
        out.put("totalTasks", s.tasks().size());
        out.put("transitions", s.transitionCount());
        Map<String, Integer> byState = new TreeMap<>();
        s.countByState().forEach((state, n) -> byState.put(state.label(), n));
        Map<String, Map<String, Integer>> byPrefix = new TreeMap<>();
        s.countByPrefix().forEach((prefix, counts) -> {
            Map<String, Integer> labels = new TreeMap<>();
            counts.forEach((state, n) -> labels.put(state.label(), n));
            byPrefix.put(prefix, labels);
        });
        out.put("tasks", byState);
        out.put("prefixes", byPrefix);
        Set<String> idle = s.idleWorkers();
        Set<String> saturated = s.saturatedWorkers();
        List<Map<String, Object>> workers = new ArrayList<>();
        for (WorkerRecord w : s.workers().values()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("address", w.address());
            one.put("name", names.getOrDefault(w.address(), w.address()));
            one.put("remote", names.containsKey(w.address()));
            one.put("nthreads", w.nthreads());
            one.put("resources", new TreeMap<>(w.resources()));
            one.put("processing", w.processingCount());
            one.put("occupancy", w.occupancy());
            one.put("inMemory", w.hasWhatCount());
            one.put("nbytes", w.nbytes());
            one.put("load", saturated.contains(w.address()) ? "saturated" : idle.contains(w.address()) ? "idle" : "busy");
            Map<String, Object> own = figures.get(w.address());
            if (own != null && !own.isEmpty()) {
                one.put("process", own);
            }
            workers.add(one);
        }
        out.put("workers", workers);
        return out;
    }
}
