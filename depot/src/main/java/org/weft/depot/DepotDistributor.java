package org.weft.depot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.protocol.BundleMessage;
import org.weft.protocol.Message;

/**
 * The scheduler's side of the depot: sends every depot bundle to each worker process that joins
 * (then {@code depot-sync}), and each change to every connected worker, over the worker's link, so
 * a task sent later reaches the worker after the bundle; keeps what each worker reported; tells
 * the scheduler which functions a worker cannot run (those of bundles that FAILED there) so it
 * gets no tasks needing them. Nannies connected to the scheduler are served the same way with the
 * bundles that provide nanny plugins; workers get those that provide task functions or worker
 * plugins. Thread-safe: everything runs under the depot's lock, in the order of the depot's changes.
 */
public final class DepotDistributor {

    private static final Logger LOG = LoggerFactory.getLogger(DepotDistributor.class);

    /** A worker's state of one bundle, as the {@code weft:bundles} listing shows it. */
    public enum RowState {
        /** Sent, no answer yet. */
        PENDING,
        ACTIVE,
        FAILED,
        /** Removed from the depot, not yet uninstalled on the worker. */
        REMOVING
    }

    /** One line of {@code weft:bundles}: a depot bundle on one worker (or nanny: {@code worker} is then its id). */
    public record Row(String symbolicName, String version, String sha256, String source, String worker, String workerName,
            RowState state, String cause) {
    }

    private record Reported(String sha256, BundleMessage.State state, String cause) {
    }

    private static final class WorkerEntry {
        final String address;
        final String name;
        /** A nanny, which takes the bundles that provide nanny plugins, rather than a worker. */
        final boolean nanny;
        final Consumer<List<Message>> send;
        final Map<String, Reported> reported = new LinkedHashMap<>();
        final CompletableFuture<Void> joined = new CompletableFuture<>();
        Set<String> missing = Set.of();

        WorkerEntry(String address, String name, boolean nanny, Consumer<List<Message>> send) {
            this.address = address;
            this.name = name;
            this.nanny = nanny;
            this.send = send;
        }

        /** Whether this worker (or nanny) runs what the bundle provides. */
        boolean takes(DepotBundle b) {
            return nanny ? b.services().contains(BundleFacts.NANNY_PLUGIN)
                    : b.services().contains(BundleFacts.TASK_FUNCTION) || b.services().contains(BundleFacts.WORKER_PLUGIN);
        }
    }

    private record Waiter(String symbolicName, CompletableFuture<List<Row>> done) {
    }

    /** How an uploaded bundle enters the depot: put straight in it, or (on a scheduler process) installed in its framework first. */
    @FunctionalInterface
    public interface Installer {
        /** @throws IllegalArgumentException if the bytes are refused (not a bundle, nothing that travels, …) */
        DepotBundle install(byte[] bundle, String fileName);
    }

    /** How long an upload waits for the workers' answers before it reports them PENDING. */
    static final long UPLOAD_WAIT_SECONDS = 60;

    private final Depot depot;
    private volatile Installer installer = (bytes, fileName) -> {
        DepotBundle b = DepotBundle.of(bytes, "upload " + fileName);
        depot().put(b);
        return b;
    };
    private final Map<String, WorkerEntry> workers = new LinkedHashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private volatile BiConsumer<String, Set<String>> missingFunctions = (worker, names) -> {
    };

    public DepotDistributor(Depot depot) {
        this.depot = depot;
        depot.listen(this::changed);
    }

    public Depot depot() {
        return depot;
    }

    /** Where to say which functions a worker cannot run (called with the worker's address and the names, on every change). */
    public void onMissingFunctions(BiConsumer<String, Set<String>> sink) {
        this.missingFunctions = sink;
    }

    /**
     * A worker process joins: it is sent every depot bundle and then {@code depot-sync}. Completes
     * once it has answered for each bundle (ACTIVE or FAILED): only then should it get tasks.
     */
    public CompletableFuture<Void> workerJoining(String address, String name, Consumer<List<Message>> send) {
        return joining(new WorkerEntry(address, name, false, send));
    }

    /**
     * A nanny connects ({@code id}: the id it gave; {@code name}: how listings show it): it is sent
     * every depot bundle that provides nanny plugins, then {@code depot-sync}, and every change to
     * those later. Completes once it has answered for each. A nanny connecting again with the same
     * id replaces its entry.
     */
    public CompletableFuture<Void> nannyJoining(String id, String name, Consumer<List<Message>> send) {
        return joining(new WorkerEntry(id, name, true, send));
    }

    private CompletableFuture<Void> joining(WorkerEntry entry) {
        synchronized (depot) {
            WorkerEntry before = workers.put(entry.address, entry);
            if (before != null) {
                before.joined.completeExceptionally(new IllegalStateException(entry.address + " connected again"));
            }
            List<Message> out = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (DepotBundle b : depot.bundles()) {
                if (entry.takes(b)) {
                    out.add(install(b));
                    names.add(b.symbolicName());
                }
            }
            out.add(new BundleMessage.DepotSync(names));
            if (!names.isEmpty()) {
                LOG.info("{} {} joins: sending it the depot's {} bundle(s) {}", entry.nanny ? "nanny" : "worker", entry.name,
                        names.size(), names);
            }
            Consumer<List<Message>> send = entry.send;
            send.accept(out);
            checkJoined(entry);
            return entry.joined;
        }
    }

    public void installWith(Installer installer) {
        this.installer = installer;
    }

    /**
     * A bundle sent by a client ({@code Client.uploadBundle}, {@code bin/weft upload}): a plain jar
     * ({@code wrap}) is wrapped first ({@link JarWrapper}). Completes when every connected worker
     * has answered for it, with the bundle's identity and each worker's state: {@code symbolicName},
     * {@code version}, {@code sha256}, {@code functions}, {@code workers} (each {@code worker},
     * {@code name}, {@code state}, {@code cause}).
     *
     * @throws IllegalArgumentException (in the future) if the bytes are refused
     */
    public CompletableFuture<Map<String, Object>> upload(String fileName, byte[] bytes, boolean wrap) {
        DepotBundle bundle;
        try {
            byte[] asBundle = wrap ? JarWrapper.wrap(bytes, fileName) : bytes;
            bundle = installer.install(asBundle, fileName);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e instanceof IllegalArgumentException ? e
                    : new IllegalArgumentException(fileName + " was not taken: " + e.getMessage(), e));
        }
        return settled(bundle.symbolicName()).completeOnTimeout(null, UPLOAD_WAIT_SECONDS, TimeUnit.SECONDS).thenApply(settled -> {
            List<Row> rows = settled != null ? settled : rows(bundle.symbolicName());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("symbolicName", bundle.symbolicName());
            out.put("version", bundle.version());
            out.put("sha256", bundle.sha256());
            out.put("functions", List.copyOf(new java.util.TreeSet<>(bundle.functions())));
            List<Object> states = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("worker", r.worker());
                w.put("name", r.workerName());
                w.put("state", r.state().name());
                w.put("cause", r.cause());
                states.add(w);
            }
            out.put("workers", states);
            return out;
        });
    }

    /** A worker's message about its bundles. */
    public void received(String address, BundleMessage message) {
        if (!(message instanceof BundleMessage.BundleState state)) {
            LOG.warn("worker {} sent {}, which only the scheduler sends; ignored", address, message);
            return;
        }
        synchronized (depot) {
            WorkerEntry entry = workers.get(address);
            if (entry == null) {
                return;
            }
            if (state.state() == BundleMessage.State.UNINSTALLED) {
                entry.reported.remove(state.symbolicName());
            } else {
                entry.reported.put(state.symbolicName(), new Reported(state.sha256(), state.state(), state.cause()));
            }
            if (state.state() == BundleMessage.State.FAILED) {
                LOG.warn("bundle {} failed on worker {}: {}", state.symbolicName(), entry.name, state.cause());
            } else {
                LOG.info("bundle {} is {} on worker {}", state.symbolicName(), state.state(), entry.name);
            }
            updateMissing(entry);
            checkJoined(entry);
            checkWaiters();
        }
    }

    /** A worker's (or, by its id, a nanny's) link closed. */
    public void workerLeft(String address) {
        workerLeft(address, null);
    }

    /**
     * As {@link #workerLeft(String)}, only if {@code send} is still the way to reach it (null: whatever
     * it is): a nanny that connected again meanwhile stays.
     */
    public void workerLeft(String address, Consumer<List<Message>> send) {
        synchronized (depot) {
            WorkerEntry current = workers.get(address);
            if (current == null || send != null && current.send != send) {
                return;
            }
            WorkerEntry entry = workers.remove(address);
            if (entry != null) {
                entry.joined.completeExceptionally(new IllegalStateException("worker " + address + " left"));
                checkWaiters();
            }
        }
    }

    /**
     * Completes when every worker connected now has answered for the depot's current revision of
     * this bundle (or, once it is removed, uninstalled it), with the bundle's rows.
     */
    public CompletableFuture<List<Row>> settled(String symbolicName) {
        synchronized (depot) {
            Waiter w = new Waiter(symbolicName, new CompletableFuture<>());
            waiters.add(w);
            checkWaiters();
            return w.done();
        }
    }

    /** The rows of one bundle (PENDING where a worker has not answered yet). */
    public List<Row> rows(String symbolicName) {
        synchronized (depot) {
            return rowsOf(symbolicName);
        }
    }

    /** One row per depot bundle and worker, then bundles still being removed. */
    public List<Row> rows() {
        synchronized (depot) {
            List<Row> rows = new ArrayList<>();
            for (DepotBundle b : depot.bundles()) {
                rows.addAll(rowsOf(b.symbolicName()));
            }
            for (WorkerEntry w : workers.values()) {
                w.reported.forEach((name, r) -> {
                    if (depot.get(name) == null) {
                        rows.add(new Row(name, "", r.sha256(), "", w.address, w.name, RowState.REMOVING, null));
                    }
                });
            }
            return rows;
        }
    }

    /** The functions this worker cannot run now. */
    public Set<String> missingFunctions(String address) {
        synchronized (depot) {
            WorkerEntry entry = workers.get(address);
            return entry == null ? Set.of() : entry.missing;
        }
    }

    // ---------------------------------------------------------------- under the depot's lock

    private void changed(Depot.Change change) {
        if (change.after() == null) {
            LOG.info("depot: {} removed; uninstalling it on {} worker(s) and nannies", change.before(), workers.size());
        } else {
            LOG.info("depot: {} {}; sending it to the workers (or nannies) that take it, of {}", change.after(),
                    change.before() == null ? "added" : "replaces " + change.before().version() + " (sha256 "
                            + change.before().shortHash() + ")", workers.size());
        }
        for (WorkerEntry w : workers.values()) {
            if (change.after() != null && w.takes(change.after())) {
                w.send.accept(List.of(install(change.after())));
            } else if (change.before() != null && w.takes(change.before())) {
                w.send.accept(List.of(new BundleMessage.UninstallBundle(change.before().symbolicName())));
            }
            updateMissing(w);
        }
        checkWaiters();
    }

    private static BundleMessage.InstallBundle install(DepotBundle b) {
        return new BundleMessage.InstallBundle(b.symbolicName(), b.version(), b.sha256(), b.bytes());
    }

    private List<Row> rowsOf(String symbolicName) {
        DepotBundle b = depot.get(symbolicName);
        List<Row> rows = new ArrayList<>();
        for (WorkerEntry w : workers.values()) {
            Reported r = w.reported.get(symbolicName);
            if (b != null && !w.takes(b)) {
                continue;
            }
            if (b == null) {
                if (r != null) {
                    rows.add(new Row(symbolicName, "", r.sha256(), "", w.address, w.name, RowState.REMOVING, null));
                }
                continue;
            }
            RowState state = r == null || !r.sha256().equals(b.sha256()) ? RowState.PENDING
                    : r.state() == BundleMessage.State.ACTIVE ? RowState.ACTIVE : RowState.FAILED;
            rows.add(new Row(b.symbolicName(), b.version(), b.sha256(), b.source(), w.address, w.name, state,
                    state == RowState.FAILED ? r.cause() : null));
        }
        return rows;
    }

    /** Functions of bundles that FAILED on the worker at the depot's revision, less those an ACTIVE bundle provides. */
    private void updateMissing(WorkerEntry w) {
        if (w.nanny) {
            return; // runs no tasks
        }
        Set<String> failed = new LinkedHashSet<>();
        Set<String> active = new LinkedHashSet<>();
        for (DepotBundle b : depot.bundles()) {
            Reported r = w.reported.get(b.symbolicName());
            if (r != null && r.sha256().equals(b.sha256())) {
                (r.state() == BundleMessage.State.ACTIVE ? active : failed).addAll(b.functions());
            }
        }
        failed.removeAll(active);
        if (!failed.equals(w.missing)) {
            w.missing = Set.copyOf(failed);
            missingFunctions.accept(w.address, w.missing);
        }
    }

    private void checkJoined(WorkerEntry w) {
        if (w.joined.isDone()) {
            return;
        }
        for (DepotBundle b : depot.bundles()) {
            Reported r = w.reported.get(b.symbolicName());
            if (w.takes(b) && (r == null || !r.sha256().equals(b.sha256()))) {
                return;
            }
        }
        w.joined.complete(null);
    }

    private void checkWaiters() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter waiter = it.next();
            List<Row> rows = rowsOf(waiter.symbolicName());
            boolean removed = depot.get(waiter.symbolicName()) == null;
            boolean settled = rows.stream().allMatch(r -> removed ? false : r.state() != RowState.PENDING);
            if (settled) {
                it.remove();
                waiter.done().complete(rows);
            }
        }
    }
}
