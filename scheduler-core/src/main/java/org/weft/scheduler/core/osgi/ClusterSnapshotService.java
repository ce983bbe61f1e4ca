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
import org.weft.scheduler.core.cluster.LocalCluster;
import org.weft.scheduler.core.remote.SchedulerServer;
import org.weft.scheduler.core.state.SchedulerState;
import org.weft.scheduler.core.state.TaskState;
import org.weft.scheduler.core.state.WorkerRecord;
import org.weft.worker.process.StatusWire;

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
 *     {@code inMemory}, {@code nbytes}, {@code load} ({@code idle}, {@code busy}, {@code saturated});
 * <li>{@code plugins}: a list of maps as a worker process sends them ({@code StatusWire.plugin}):
 *     {@code name}, {@code kind}, {@code where}, {@code bundle}, {@code version}, {@code state},
 *     {@code async}, {@code queueCapacity}, {@code overflow} (when asynchronous), {@code calls},
 *     {@code errors}, {@code meanNanos}, {@code maxNanos}, {@code dropped}, {@code failure},
 *     {@code statusLine};
 * <li>{@code events}: topic → events logged; {@code loop}: {@code busyNanos} (monotonic),
 *     {@code queued} (stimuli waiting for the loop); {@code transport}: the TCP server's
 *     counts ({@code TransportStats} keys), in a scheduler process only;
 * <li>{@code timeMillis}: when it was taken.
 * </ul>
 * Walking the tasks costs O(tasks) on the loop, as {@code weft:status} does; callers ask a few
 * times a second at most.
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

    private final LocalCluster cluster;
    /**
     * The scheduler's TCP server, in a scheduler process: only its reference is bound, and the
     * component is fetched when a snapshot is taken, so binding never waits for (or, under load,
     * times out on) the server component's activation, which runs at the same time as ours.
     */
    private final AtomicReference<ServiceReference<SchedulerServerComponent>> server = new AtomicReference<>();
    private final BundleContext context;

    @Activate
    public ClusterSnapshotService(BundleContext context, @Reference LocalClusterComponent component) {
        this.cluster = component.cluster();
        this.context = context;
    }

    /** Snapshots of a cluster made outside OSGi (tests, benchmarks). */
    public ClusterSnapshotService(LocalCluster cluster) {
        this.cluster = cluster;
        this.context = null;
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
            return null;
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

    @Override
    public CompletableFuture<Map<String, Object>> get() {
        SchedulerServer listening = listening();
        Map<String, String> names = listening == null ? Map.of() : listening.workerNames();
        CompletableFuture<Map<String, Object>> state = cluster.scheduler().query(s -> fromState(s, names));
        return state.thenCombine(cluster.pluginStatus(), (out, plugins) -> {
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
    private Map<String, Object> fromState(SchedulerState s, Map<String, String> names) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", cluster.address());
        out.put("clients", s.clients().size());
        out.put("totalTasks", s.tasks().size());
        out.put("transitions", s.transitionCount());
        Map<String, Integer> byState = new TreeMap<>();
        Map<String, Map<String, Integer>> byPrefix = new TreeMap<>();
        for (TaskState ts : s.tasks().values()) {
            String label = ts.state().label();
            byState.merge(label, 1, Integer::sum);
            byPrefix.computeIfAbsent(ts.prefix(), p -> new TreeMap<>()).merge(label, 1, Integer::sum);
        }
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
            workers.add(one);
        }
        out.put("workers", workers);
        return out;
    }
}
