package org.weft.scheduler.core.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.node.SchedulerInstruction;
import org.weft.node.WorkerInstruction;
import org.weft.node.link.WorkerLink;
import org.weft.node.wire.WireMapping;
import org.weft.protocol.DataMessage;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.WorkerMessage;
import org.weft.scheduler.core.cluster.SchedulerNode;

/**
 * The scheduler's side of one worker process: instructions for it go out as messages on its
 * link; its reports, heartbeats and answers come in and become the scheduler's stimuli. When
 * the link closes the worker is removed (its tasks run elsewhere, results only it held are
 * recomputed).
 */
final class RemoteWorker implements WorkerLink, LinkHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWorker.class);

    private final String address;
    private final String name;
    private final Link link;
    private final SchedulerNode scheduler;
    private final Map<Long, CompletableFuture<Object>> asked = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<DataMessage.Data>> fetching = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Forgets this worker's connection; false if a newer connection from the same address has replaced it. */
    private final java.util.function.BooleanSupplier onClosed;
    /** The figures of the worker's last heartbeat (its {@code WorkerFigures}); empty before the first. */
    private volatile Map<String, Object> figures = Map.of();
    /** Set once the scheduler has dropped this worker and told it to close. */
    private volatile boolean dropped;
    /** How long a worker told to close has to do so before the scheduler closes its link. */
    static final long CLOSE_GRACE_MILLIS = 5_000;

    /** Where this worker's answers about depot bundles go; null: no depot. */
    private final org.weft.depot.DepotDistributor depot;

    /** The id of the nanny that runs this worker process (its hello's {@code nannyId}); null: none. */
    private final String nannyId;
    /** Set once the scheduler has added the worker (after its depot bundles): it gets tasks, and a restart reaches it. */
    private volatile boolean added;

    RemoteWorker(String address, String name, String nannyId, Link link, SchedulerNode scheduler,
            org.weft.depot.DepotDistributor depot, java.util.function.BooleanSupplier onClosed) {
        this.depot = depot;
        this.address = address;
        this.name = name;
        this.nannyId = nannyId;
        this.link = link;
        this.scheduler = scheduler;
        this.onClosed = onClosed;
    }

    @Override
    public String address() {
        return address;
    }

    String name() {
        return name;
    }

    String nannyId() {
        return nannyId;
    }

    void added() {
        added = true;
    }

    boolean isAdded() {
        return added;
    }

    /** What the worker's last heartbeat said about it (empty before its first). */
    Map<String, Object> figures() {
        return figures;
    }

    // ---------------------------------------------------------------- scheduler -> worker (on the scheduler's loop)

    @Override
    public void computeTasks(List<SchedulerInstruction.ComputeTask> tasks) {
        List<Message> out = new ArrayList<>(tasks.size());
        for (SchedulerInstruction.ComputeTask t : tasks) {
            out.add(WireMapping.toMessage(t));
        }
        link.send(out);
    }

    @Override
    public void freeKeys(List<String> keys, String stimulusId) {
        link.send(new SchedulerMessage.FreeKeys(List.copyOf(keys), stimulusId));
    }

    @Override
    public void control(List<SchedulerInstruction> instructions) {
        List<Message> out = new ArrayList<>(instructions.size());
        for (SchedulerInstruction i : instructions) {
            out.add(WireMapping.toMessage(i));
            if (i instanceof SchedulerInstruction.CloseWorker c) {
                dropped = true;
                closeLater(c.reason());
            }
        }
        link.send(out);
    }

    /**
     * The scheduler dropped this worker (retired, silent past the worker TTL) and told it to close: a
     * worker process does, and its link closes with it. One that does not (hung, or not a worker at all)
     * has its link closed after a grace period, as Dask's remove_worker closes the comm, so it holds
     * neither a connection nor its address.
     */
    private void closeLater(String reason) {
        CompletableFuture.delayedExecutor(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
            if (link.isOpen()) {
                LOG.info("worker {} ({}) did not close within {} ms of being told to ({}); closing its link", address, name,
                        CLOSE_GRACE_MILLIS, reason);
                link.close("told to close " + CLOSE_GRACE_MILLIS + " ms ago: " + reason);
            }
        });
    }

    /** Asks the worker for results it holds; completes with the encoded values and the keys it lacks. */
    CompletableFuture<DataMessage.Data> getData(List<String> keys) {
        long id = ids.incrementAndGet();
        CompletableFuture<DataMessage.Data> reply = new CompletableFuture<>();
        fetching.put(id, reply);
        link.send(new DataMessage.GetData(id, keys));
        if (!link.isOpen()) {
            failPending("worker " + address + " is gone");
        }
        return reply;
    }

    /** Asks the worker a question (the shell's); completes with its answer. */
    CompletableFuture<Object> ask(String what, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        CompletableFuture<Object> reply = new CompletableFuture<>();
        asked.put(id, reply);
        link.send(new SchedulerMessage.Ask(id, what, params));
        if (!link.isOpen()) {
            failPending("worker " + address + " is gone");
        }
        return reply;
    }

    // ---------------------------------------------------------------- worker -> scheduler (on a transport thread)

    @Override
    public void received(Link from, List<Message> messages) {
        List<WorkerInstruction> reports = null;
        for (Message m : messages) {
            if (m instanceof WorkerMessage.Heartbeat h) {
                figures = h.metrics();
                scheduler.workerHeartbeat(address);
            } else if (m instanceof WorkerMessage.Retire r) {
                LOG.info("worker {} ({}) asks to retire: {}", address, name, r.reason());
                scheduler.retireWorkers(List.of(address)).whenComplete((outcome, error) -> {
                    if (error != null || outcome.isEmpty() || !outcome.get(0).retired()) {
                        String why = error != null ? error.toString() : outcome.isEmpty() ? "unknown" : outcome.get(0).reason();
                        LOG.warn("worker {} could not retire ({}); closing it", address, why);
                        link.send(new SchedulerMessage.CloseWorker("could not retire: " + why, "retire-failed"));
                    }
                });
            } else if (m instanceof WorkerMessage.Answer a) {
                CompletableFuture<Object> reply = asked.remove(a.id());
                if (reply != null) {
                    if (a.error() == null) {
                        reply.complete(a.value());
                    } else {
                        reply.completeExceptionally(new IllegalStateException(a.error()));
                    }
                }
            } else if (m instanceof org.weft.protocol.BundleMessage b) {
                if (depot != null) {
                    depot.received(address, b);
                }
            } else if (m instanceof DataMessage.Data d) {
                CompletableFuture<DataMessage.Data> reply = fetching.remove(d.id());
                if (reply != null) {
                    reply.complete(d);
                }
            } else if (m instanceof WorkerMessage w) {
                WorkerInstruction report = WireMapping.fromMessage(w);
                if (report != null) {
                    if (reports == null) {
                        reports = new ArrayList<>();
                    }
                    reports.add(report);
                }
            }
        }
        if (reports != null) {
            // on this transport thread if the scheduler's loop is idle: the transitions, and the next
            // queued task for this worker, then leave on this same thread's next turn, with no thread
            // woken between the worker's report and the scheduler's answer
            scheduler.workerReports(address, reports, true);
        }
    }

    /**
     * Whether the scheduler has already dropped this worker (silent past the worker TTL, retired)
     * and only waits for its link to close: a new connection from the same address may replace it.
     */
    boolean dropped() {
        return dropped;
    }

    @Override
    public void closed(Link from, String reason) {
        LOG.info("worker {} ({}) disconnected: {}", address, name, reason);
        failPending("worker " + address + " disconnected: " + reason);
        if (!onClosed.getAsBoolean()) {
            return; // the same worker has joined again on a new connection: it is not gone
        }
        if (depot != null) {
            depot.workerLeft(address);
        }
        scheduler.removeWorker(address);
    }

    private void failPending(String reason) {
        IllegalStateException gone = new IllegalStateException(reason);
        asked.values().removeIf(f -> f.completeExceptionally(gone) || true);
        fetching.values().removeIf(f -> f.completeExceptionally(gone) || true);
    }

    void close(String reason) {
        link.close(reason);
    }
}
