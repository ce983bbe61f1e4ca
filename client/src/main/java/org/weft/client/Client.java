package org.weft.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.weft.client.spi.ClientListener;
import org.weft.client.spi.SchedulerConnection;
import org.weft.client.spi.TaskScope;
import org.weft.client.spi.TopicEvent;
import org.weft.protocol.RetireOutcome;
import org.weft.protocol.StoryEntry;
import org.weft.protocol.TaskSpec;

/**
 * A program's session with a scheduler: submits tasks, holds the futures of the keys it wants,
 * gathers results. Obtain one with {@link #connect}; close it to let the scheduler release
 * everything it wanted.
 *
 * <p>Submissions block until the scheduler has accepted or rejected the graph, so a rejection is
 * thrown at once as a {@link GraphRejectedException}. Generated keys are
 * {@code function-<token>} ({@code function-<token>-<i>} for {@link #map}), the token random and
 * unique. The client keeps the state of every wanted key until it is {@linkplain #release released},
 * cancelled, forgotten by the scheduler, or the client closes: release futures you no longer need.
 *
 * <p>Thread-safe: any thread may submit and wait, and scheduler callbacks arrive on connection
 * threads. Inside a task on a worker, {@link #current()} gives the worker's client.
 *
 * @since 1.0
 */
@ProviderType
public final class Client implements AutoCloseable {

    private static final String CLOSED = "client closed";
    /** The reason a future cancelled by a client carries. */
    private static final String CANCELLED_REASON = "cancelled";
    /** The reason the scheduler gives for keys a restart forgot; the futures become cancelled. */
    private static final String RESTART_REASON = "restart";

    private final String id;
    private final SchedulerConnection connection;
    private final Map<String, KeyState> states = new ConcurrentHashMap<>();
    /** Completes with a reason when the client closes or the connection is lost. */
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final AtomicInteger closeCalls = new AtomicInteger();
    /** The preloads of a client made by {@link #connect(String, ClientOptions)}. */
    private volatile ClientPreloads preloads = ClientPreloads.NONE;

    private Client(String id, SchedulerConnection connection) {
        this.id = id;
        this.connection = connection;
    }

    /**
     * Registers a new client, with a generated id {@code client-<short uuid>}, on {@code connection}.
     * The client owns the connection from now on and closes it in {@link #close()}.
     */
    public static Client connect(SchedulerConnection connection) {
        Objects.requireNonNull(connection, "connection");
        Client client = new Client("client-" + UUID.randomUUID().toString().substring(0, 8), connection);
        connection.open(client.id, client.new Listener());
        return client;
    }

    /**
     * Connects to the scheduler process at {@code address} ({@code tcp://host:port}) with
     * {@link ClientOptions#defaults()}: no TLS, the token in the environment variable
     * {@value ClientOptions#TOKEN_ENV} if it is set. The client owns the connection; close the
     * client to close it. If the connection is lost later, every pending future becomes
     * {@link FutureStatus#LOST} with the reason and later calls throw {@link IllegalStateException}.
     *
     * @throws IllegalArgumentException if {@code address} is not {@code tcp://host:port}
     * @throws WeftException if the scheduler cannot be reached, refuses the client (a wrong token,
     *         say), or does not answer within the connect timeout
     * @since 1.2
     */
    public static Client connect(String address) {
        return connect(address, ClientOptions.defaults());
    }

    /**
     * Like {@link #connect(String)}, with a token, TLS, a connect timeout or preloads. The
     * preloads ({@link ClientOptions#withPreloads}) are found before the client connects and set
     * up, in order, once it is connected; {@link #close()} tears them down in reverse order first.
     *
     * @throws WeftException naming the preload when one cannot be found, refuses its arguments or
     *         its setup throws; the client is closed then
     *
     * @since 1.2
     */
    public static Client connect(String address, ClientOptions options) {
        ClientPreloads preloads = ClientPreloads.load(options); // a preload not found fails before connecting
        Client client = connect(org.weft.client.remote.RemoteSchedulerConnection.create(address, options));
        preloads.setUp(client, address);
        client.preloads = preloads;
        return client;
    }

    /**
     * The client of the worker running the current task (Dask's {@code get_client()}): a task
     * function may submit further tasks and wait for them. It is connected on first use and shared
     * by the worker's tasks; do not close it. While a task thread waits in {@link WeftFuture#get()}
     * or {@link #gather}, the task secedes from the worker's executor threads and rejoins after,
     * so the tasks it waits for can run even on a one-thread worker.
     *
     * @throws IllegalStateException outside a task running on a worker
     * @since 1.1
     */
    public static Client current() {
        TaskScope scope = TaskScope.current();
        if (scope == null) {
            throw new IllegalStateException("Client.current() is only available inside a task running on a worker");
        }
        return scope.client();
    }

    /** This client's id, as the scheduler knows it. */
    public String id() {
        return id;
    }

    /**
     * Submits one task with a generated key. A {@link WeftFuture} among {@code args}, also inside
     * lists and maps, becomes a reference to its key.
     *
     * @param function the name of a registered task function
     * @param args the arguments
     * @throws GraphRejectedException if the scheduler rejected the task
     * @throws IllegalStateException if the client is closed or its connection lost
     */
    public WeftFuture submit(String function, Object... args) {
        return submit(TaskOptions.defaults(), function, args);
    }

    /**
     * Submits one task with explicit options: a key (a future of this client for the same key, if
     * it is pending or finished, is shared rather than resubmitted by the scheduler), retries,
     * priority, worker restrictions and resources.
     *
     * @see #submit(String, Object...)
     */
    public WeftFuture submit(TaskOptions options, String function, Object... args) {
        Objects.requireNonNull(options, "options");
        requireFunction(function);
        String key = options.key() != null ? options.key() : function + "-" + token();
        List<Object> wire = TaskArgs.toWire(args == null ? List.of() : Arrays.asList(args), f -> { });
        TaskSpec spec = options.toSpec(key, function, wire);
        return send(List.of(spec), Set.of(key)).get(0);
    }

    /**
     * Submits one task per item, {@code function(item)}, in one graph. Keys are
     * {@code function-<token>-<i>}.
     *
     * @return the futures, in the order of {@code items}
     */
    public List<WeftFuture> map(String function, List<?> items) {
        requireFunction(function);
        Objects.requireNonNull(items, "items");
        String prefix = function + "-" + token() + "-";
        List<TaskSpec> specs = new ArrayList<>(items.size());
        Set<String> keys = new LinkedHashSet<>();
        int i = 0;
        for (Object item : items) {
            String key = prefix + i++;
            List<Object> args = new ArrayList<>(1);
            args.add(TaskArgs.convert(item, f -> { }));
            specs.add(new TaskSpec(key, function, args));
            keys.add(key);
        }
        return send(specs, keys);
    }

    /**
     * Submits a whole graph in one update and wants its {@link Graph#keys()}. Keys the graph marks
     * external must be known to the scheduler already (futures of this client).
     *
     * @return a future per wanted key, in the order of {@link Graph#keys()}; read-only
     */
    public Map<String, WeftFuture> compute(Graph graph) {
        Objects.requireNonNull(graph, "graph");
        return new FutureMap(send(graph.tasks(), graph.keys()));
    }

    /**
     * Waits for {@code futures} and returns their values in order, fetching every value not yet
     * gathered in one request. Returns, or throws, as soon as one future fails: the exception of the
     * first failed future in the collection's order (see {@link WeftFuture#get()}).
     */
    public List<Object> gather(Collection<WeftFuture> futures) {
        return gather(futures, Blocking.FOREVER);
    }

    /**
     * Like {@link #gather(Collection)}, waiting at most {@code timeout} in all.
     *
     * @throws WeftTimeoutException if the time ran out
     */
    public List<Object> gather(Collection<WeftFuture> futures, long timeout, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return gather(futures, Blocking.deadline(timeout, unit));
    }

    private List<Object> gather(Collection<WeftFuture> futures, long deadline) {
        List<WeftFuture> list = List.copyOf(futures);
        list.forEach(this::requireOwn);
        Set<KeyState> distinct = new LinkedHashSet<>();
        list.forEach(f -> distinct.add(f.state()));

        CompletableFuture<Void> settled = new CompletableFuture<>();
        AtomicInteger open = new AtomicInteger(distinct.size());
        for (KeyState s : distinct) {
            s.done().thenAccept(status -> {
                if (status != FutureStatus.FINISHED || open.decrementAndGet() == 0) {
                    settled.complete(null);
                }
            });
        }
        if (distinct.isEmpty()) {
            return List.of();
        }
        return Blocking.seceding(!settled.isDone(), () -> gatherSettled(list, distinct, settled, deadline));
    }

    private List<Object> gatherSettled(List<WeftFuture> list, Set<KeyState> distinct, CompletableFuture<Void> settled,
            long deadline) {
        Blocking.await(settled, deadline, () -> list.size() + " futures");
        for (WeftFuture f : list) {
            if (f.status().isDone() && f.status() != FutureStatus.FINISHED) {
                throw f.state().failure();
            }
        }

        List<KeyState> toFetch = distinct.stream().filter(s -> s.valueIfFetching() == null).toList();
        if (!toFetch.isEmpty()) {
            List<String> keys = toFetch.stream().map(KeyState::key).toList();
            Map<String, Object> values = Blocking.await(fetch(keys), deadline, () -> "the values of " + keys.size() + " keys");
            for (KeyState s : toFetch) {
                s.cacheValue(values.get(s.key()));
            }
        }
        List<Object> out = new ArrayList<>(list.size());
        for (WeftFuture f : list) {
            out.add(Blocking.await(fetchValue(f.state()), deadline, () -> "the value of key '" + f.key() + "'"));
        }
        return out;
    }

    /**
     * Stops wanting these keys: pending futures become {@link FutureStatus#CANCELLED}; finished
     * ones keep their status and a value already gathered, but a value not yet gathered can no
     * longer be. Every future of this client sharing one of these keys is affected.
     */
    public void release(Collection<WeftFuture> futures) {
        List<String> keys = new ArrayList<>();
        for (WeftFuture f : List.copyOf(futures)) {
            requireOwn(f);
            KeyState s = f.state();
            if (states.remove(s.key(), s)) {
                keys.add(s.key());
            }
            s.markCancelled();
        }
        if (!keys.isEmpty() && !ended.isDone()) {
            connection.releaseKeys(keys);
        }
    }

    /**
     * Watches {@code futures}: {@code listener} is called once at once with the current counts and
     * then each time one of them is done (see {@link ProgressListener} for threads and ordering).
     * A {@link ProgressBar} is such a listener.
     */
    public Progress progress(Collection<WeftFuture> futures, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        List<WeftFuture> list = List.copyOf(futures);
        list.forEach(this::requireOwn);
        return new Progress(list, listener);
    }

    /**
     * Unregisters from the scheduler, which releases everything this client wanted; pending futures
     * become {@link FutureStatus#LOST} with the reason {@code "client closed"}. Idempotent.
     */
    @Override
    public void close() {
        if (closeCalls.getAndIncrement() > 0) {
            return;
        }
        preloads.tearDown();
        end(CLOSED, CLOSED);
        connection.close();
    }

    // --- used by WeftFuture ---

    boolean cancel(KeyState s) {
        if (!s.cancel(CANCELLED_REASON)) {
            return false;
        }
        if (states.remove(s.key(), s) && !ended.isDone()) {
            connection.releaseKeys(List.of(s.key()));
        }
        return true;
    }

    /** The value of a FINISHED key: gathered on first use, then cached in {@code s}. */
    CompletableFuture<Object> fetchValue(KeyState s) {
        return s.value(() -> fetch(List.of(s.key())).thenApply(values -> values.get(s.key())));
    }

    /** How often a gather is tried again while a key it asks for is being computed again. */
    private static final int LOST_DATA_RETRIES = 200;

    /**
     * One gather request; fails with a {@link WeftException} naming the keys. A key whose only
     * copy was lost with its worker after it was reported in memory is computed again: the
     * request is tried again (after 10 ms, then up to 200 ms apart) until it is back.
     */
    private CompletableFuture<Map<String, Object>> fetch(List<String> keys) {
        return fetch(keys, 0);
    }

    private CompletableFuture<Map<String, Object>> fetch(List<String> keys, int attempt) {
        CompletableFuture<Map<String, Object>> once = fetchOnce(keys);
        if (attempt >= LOST_DATA_RETRIES) {
            return once;
        }
        return once.exceptionallyCompose(error -> {
            Throwable cause = error;
            while (cause.getCause() != null && cause.getCause() != cause && !(cause instanceof IllegalStateException)) {
                cause = cause.getCause();
            }
            if (cause instanceof IllegalStateException && beingComputedAgain(cause.getMessage()) && !ended.isDone()) {
                java.util.concurrent.Executor later = CompletableFuture.delayedExecutor(
                        Math.min(200, 10L << Math.min(attempt, 5)), java.util.concurrent.TimeUnit.MILLISECONDS);
                return CompletableFuture.supplyAsync(() -> keys, later).thenCompose(k -> fetch(k, attempt + 1));
            }
            return CompletableFuture.failedFuture(error);
        });
    }

    /** The scheduler's answer for a key that is no longer in memory but on its way back there. */
    private static boolean beingComputedAgain(String message) {
        return message != null && message.contains("is not in memory (")
                && (message.contains("(queued)") || message.contains("(processing)") || message.contains("(waiting)")
                        || message.contains("(no-worker)") || message.contains("(released)"));
    }

    private CompletableFuture<Map<String, Object>> fetchOnce(List<String> keys) {
        String what = keys.size() == 1 ? "key '" + keys.get(0) + "'" : keys.size() + " keys";
        if (ended.isDone()) {
            return CompletableFuture.failedFuture(
                    new WeftException("cannot gather " + what + ": " + ended.getNow(CLOSED)));
        }
        CompletableFuture<Map<String, Object>> request;
        try {
            request = connection.gather(keys);
        } catch (RuntimeException e) {
            request = CompletableFuture.failedFuture(e);
        }
        return request.handle((values, error) -> {
            if (error != null) {
                Throwable cause = Blocking.unwrap(error);
                throw new WeftException("could not gather " + what + ": " + cause.getMessage(), cause);
            }
            for (String key : keys) {
                if (values == null || !values.containsKey(key)) {
                    throw new WeftException("the scheduler returned no value for key '" + key + "'");
                }
            }
            return values;
        });
    }

    // --- internals ---

    private record Registration(String key, KeyState previous, KeyState created) {
    }

    /**
     * Registers states for {@code wanted}, sends the graph, waits for the verdict.
     *
     * @param wanted distinct keys, in order; not modified afterwards (the connection may keep it)
     */
    private List<WeftFuture> send(List<TaskSpec> tasks, Set<String> wanted) {
        requireOpen();
        List<WeftFuture> futures = new ArrayList<>(wanted.size());
        List<Registration> created = new ArrayList<>();
        for (String key : wanted) {
            KeyState[] previous = new KeyState[1];
            KeyState[] fresh = new KeyState[1];
            KeyState s = states.compute(key, (k, old) -> {
                if (old != null && old.reusable()) {
                    return old;
                }
                previous[0] = old;
                fresh[0] = new KeyState(k);
                return fresh[0];
            });
            if (fresh[0] != null) {
                created.add(new Registration(key, previous[0], fresh[0]));
            }
            futures.add(new WeftFuture(this, s));
        }
        if (ended.isDone()) { // closed while registering: close() may not have seen these
            undo(created, r -> r.created().lose(ended.getNow(CLOSED)));
            throw new IllegalStateException(ended.getNow(CLOSED));
        }

        CompletableFuture<Void> update;
        try {
            update = connection.updateGraph(tasks, wanted);
        } catch (RuntimeException e) {
            update = CompletableFuture.failedFuture(e);
        }
        try {
            CompletableFuture.anyOf(update, ended).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            List<String> keys = created.stream().map(Registration::key).toList();
            undo(created, r -> r.created().markCancelled());
            if (!keys.isEmpty() && !ended.isDone()) {
                connection.releaseKeys(keys);
            }
            throw new WeftException("interrupted while submitting " + wanted.size() + " keys", e);
        } catch (ExecutionException e) {
            // examined below
        }
        if (!update.isDone()) {
            throw new IllegalStateException(ended.getNow(CLOSED)); // close()/connectionLost() lost the states
        }
        if (!update.isCompletedExceptionally()) {
            return futures;
        }
        Throwable cause = Blocking.unwrap(update.handle((v, e) -> e).join());
        if (cause instanceof IllegalArgumentException) {
            String reason = cause.getMessage();
            undo(created, r -> r.created().reject(reason));
            throw new GraphRejectedException(reason);
        }
        String reason = "graph not sent: " + cause;
        undo(created, r -> r.created().lose(reason));
        throw new WeftException("could not send the graph: " + cause.getMessage(), cause);
    }

    /** Puts back what {@link #send} replaced, then ends each created state with {@code how}. */
    private void undo(List<Registration> created, java.util.function.Consumer<Registration> how) {
        for (Registration r : created) {
            if (r.previous() != null) {
                states.replace(r.key(), r.created(), r.previous());
            } else {
                states.remove(r.key(), r.created());
            }
            how.accept(r);
        }
    }

    /**
     * Closes or loses the client: every pending key becomes LOST with {@code keyReason}; later calls
     * fail with {@code clientState}.
     */
    private void end(String keyReason, String clientState) {
        if (!ended.complete(clientState)) {
            return;
        }
        for (KeyState s : states.values()) {
            s.lose(keyReason);
        }
        states.clear();
    }

    private void requireOpen() {
        if (ended.isDone()) {
            throw new IllegalStateException(ended.getNow(CLOSED));
        }
    }

    private void requireOwn(WeftFuture f) {
        Objects.requireNonNull(f, "future");
        if (f.client() != this) {
            throw new IllegalArgumentException("future of key '" + f.key() + "' belongs to another client");
        }
    }

    private static void requireFunction(String function) {
        if (function == null || function.isBlank()) {
            throw new IllegalArgumentException("function name must not be empty");
        }
    }

    private static String token() {
        UUID u = UUID.randomUUID();
        return Long.toHexString(u.getMostSignificantBits() ^ u.getLeastSignificantBits());
    }

    @Override
    public String toString() {
        return "Client[" + id + ", " + states.size() + " keys" + (ended.isDone() ? ", " + ended.getNow(CLOSED) : "") + "]";
    }

    /** Scheduler callbacks, on connection threads. */
    private final class Listener implements ClientListener {

        @Override
        public void keyInMemory(String key) {
            KeyState s = states.get(key);
            if (s != null) {
                s.finish();
            }
        }

        @Override
        public void keyErred(String key, String exceptionText, String traceback, String blamedKey) {
            KeyState s = states.get(key);
            if (s != null) {
                s.err(exceptionText, traceback, blamedKey);
            }
        }

        @Override
        public void keyForgotten(String key, String reason) {
            KeyState s = states.get(key);
            if (s != null) {
                if (RESTART_REASON.equals(reason)) {
                    s.cancel(reason); // as Dask: a restart cancels every future, finished ones too
                } else {
                    s.lose(reason);
                }
                states.remove(key, s); // no longer wanted: a resubmission starts afresh
            }
        }

        @Override
        public void connectionLost(String reason) {
            end(reason, "connection lost: " + reason);
        }

        // ---- control (cancel, restart, events)

        @Override
        public void keyCancelled(String key) {
            KeyState s = states.get(key);
            if (s != null) {
                s.cancel(CANCELLED_REASON);
                states.remove(key, s);
            }
        }

        @Override
        public void event(TopicEvent event) {
            deliver(event);
        }
    }

    // ---------------------------------------------------------------- control (cancel, restart, events)

    private final Map<String, Consumer<TopicEvent>> topicHandlers = new ConcurrentHashMap<>();

    /**
     * Cancels {@code futures} and every task that depends on them, for this client: pending and
     * finished futures become {@link FutureStatus#CANCELLED} (as in Dask; their {@code get()} throws
     * a {@link KeyCancelledException} naming the key), and so do this client's futures of dependent
     * keys. A key another client also wants keeps running for that client.
     *
     * @since 1.1
     */
    public void cancel(Collection<WeftFuture> futures) {
        cancel(futures, false);
    }

    /**
     * Like {@link #cancel(Collection)}; with {@code force} the keys (and their dependents) are
     * cancelled for every client that wants them, whose futures become cancelled too (Dask's
     * {@code cancel(..., force=True)}). Returns once the scheduler has cancelled them.
     *
     * @since 1.1
     */
    public void cancel(Collection<WeftFuture> futures, boolean force) {
        List<String> keys = new ArrayList<>();
        for (WeftFuture f : List.copyOf(futures)) {
            requireOwn(f);
            KeyState s = f.state();
            states.remove(s.key(), s);
            s.cancel(CANCELLED_REASON);
            keys.add(s.key());
        }
        if (keys.isEmpty()) {
            return;
        }
        requireOpen();
        Blocking.await(call(() -> connection.cancel(keys, force)), Blocking.FOREVER,
                () -> "the cancel of " + keys.size() + " keys");
    }

    /**
     * Restarts the scheduler (Dask's {@code Client.restart}): all task state is cleared, every
     * worker drops what it holds, and scheduler plugins get {@code restart}. Every future of every
     * client that was pending or finished becomes {@link FutureStatus#CANCELLED}, as in Dask, with
     * the reason {@code "restart"} ({@link KeyCancelledException#reason()}). Workers,
     * clients, plugins and the event log stay. A worker process under a nanny is replaced by a fresh
     * process, and this returns only once each of those has joined again, with the depot's bundles
     * installed and its worker plugins set up, so work submitted next runs on the fresh workers (as
     * Dask's {@code restart} waits for its workers); it waits at most 2 minutes (see
     * {@link #restart(Duration)}). Without such workers it returns once the state is cleared.
     *
     * @throws WeftTimeoutException if a worker under a nanny did not come back in time; the message
     *         names each (the state is cleared all the same)
     * @since 1.1
     */
    public void restart() {
        restart(connection::restart);
    }

    /**
     * {@link #restart()}, waiting at most {@code timeout} for the workers under nannies to come back.
     *
     * @throws WeftTimeoutException if one did not, naming each
     * @since 1.2
     */
    public void restart(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        restart(() -> connection.restart(timeout));
    }

    private void restart(java.util.function.Supplier<CompletableFuture<Void>> restart) {
        requireOpen();
        try {
            Blocking.await(call(restart), Blocking.FOREVER, () -> "the restart");
        } catch (WeftTimeoutException e) {
            cancelAll(); // the state was cleared: only the wait for the workers ran out
            throw e;
        }
        cancelAll();
    }

    private void cancelAll() {
        for (KeyState s : List.copyOf(states.values())) {
            s.cancel(RESTART_REASON);
            states.remove(s.key(), s);
        }
    }

    /**
     * Logs an event on the scheduler (Dask's {@code log_event}): kept in the topic's bounded log,
     * given to scheduler plugins' {@code logEvent}, and pushed to clients subscribed to the topic.
     *
     * @param message a JSON-able value: null, string, number, boolean, or a list or map (string keys) of those
     * @throws IllegalArgumentException for an empty topic or a message that is not JSON-able
     * @since 1.1
     */
    public void logEvent(String topic, Object message) {
        logEvent(List.of(Objects.requireNonNull(topic, "topic")), message);
    }

    /**
     * Logs one event under several topics; plugins and subscribers get it once per topic.
     *
     * @since 1.1
     */
    public void logEvent(Collection<String> topics, Object message) {
        List<String> copy = List.copyOf(topics);
        requireOpen();
        Blocking.await(call(() -> connection.logEvent(copy, message)), Blocking.FOREVER, () -> "logging an event");
    }

    /**
     * The recent events of {@code topic} on the scheduler, oldest first (a bounded number per
     * topic); empty for a topic never logged to.
     *
     * @since 1.1
     */
    public List<TopicEvent> events(String topic) {
        Objects.requireNonNull(topic, "topic");
        requireOpen();
        return Blocking.await(call(() -> connection.events(topic)), Blocking.FOREVER,
                () -> "the events of topic '" + topic + "'");
    }

    /**
     * Receives every event logged under {@code topic} from now on (Dask's
     * {@code subscribe_topic}). {@code handler} runs on a connection thread and must not block;
     * an exception it throws is logged and dropped. A second subscription to the same topic
     * replaces the handler.
     *
     * @since 1.1
     */
    public void subscribeTopic(String topic, Consumer<TopicEvent> handler) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(handler, "handler");
        requireOpen();
        if (topicHandlers.put(topic, handler) == null) {
            try {
                Blocking.await(call(() -> connection.subscribeTopic(topic)), Blocking.FOREVER,
                        () -> "the subscription to topic '" + topic + "'");
            } catch (RuntimeException e) {
                topicHandlers.remove(topic, handler);
                throw e;
            }
        }
    }

    /**
     * Stops receiving events of {@code topic}; nothing happens if not subscribed.
     *
     * @since 1.1
     */
    public void unsubscribeTopic(String topic) {
        Objects.requireNonNull(topic, "topic");
        if (topicHandlers.remove(topic) != null && !ended.isDone()) {
            Blocking.await(call(() -> connection.unsubscribeTopic(topic)), Blocking.FOREVER,
                    () -> "the unsubscription from topic '" + topic + "'");
        }
    }

    /**
     * What happened to these keys (Dask's {@code Client.story}): every transition the scheduler and
     * the workers still have in their bounded story logs, oldest first, with the stimulus that
     * caused it. Unknown keys simply have no entries.
     *
     * @since 1.1
     */
    public List<StoryEntry> story(String... keys) {
        requireOpen();
        List<String> wanted = List.of(keys);
        return Blocking.await(call(() -> connection.story(wanted)), Blocking.FOREVER, () -> "the story of " + wanted);
    }

    /**
     * Describes the scheduler (Dask's {@code Client.scheduler_info}/{@code identity()}): {@code type},
     * {@code id}, {@code address}, {@code version}, {@code started} (epoch ms), {@code workers}
     * (address → {@code nthreads}, {@code processing}, {@code in-memory}, {@code nbytes}),
     * {@code clients} (how many), {@code tasks} (state → count) and {@code total-tasks}.
     *
     * @since 1.1
     */
    public Map<String, Object> identity() {
        requireOpen();
        return Blocking.await(call(connection::identity), Blocking.FOREVER, () -> "the scheduler's identity");
    }

    /**
     * Runs a registered task function on the scheduler, not on a worker (Dask's
     * {@code run_on_scheduler}), and returns its result. It runs on the scheduler's loop thread:
     * keep it short. Arguments are values; futures are not allowed.
     *
     * @throws IllegalArgumentException if no task function has that name, or an argument is a future
     * @throws WeftException if the function threw (the message names the function and the error)
     * @since 1.1
     */
    public Object runOnScheduler(String function, Object... args) {
        requireFunction(function);
        List<Object> wire = TaskArgs.toWire(args == null ? List.of() : Arrays.asList(args), f -> {
            throw new IllegalArgumentException("runOnScheduler takes values, not futures (key '" + f.key() + "')");
        });
        requireOpen();
        CompletableFuture<Object> result = call(() -> connection.runOnScheduler(function, wire)).handle((v, e) -> {
            if (e == null) {
                return v;
            }
            Throwable cause = Blocking.unwrap(e);
            if (cause instanceof IllegalArgumentException || cause instanceof UnsupportedOperationException) {
                throw (RuntimeException) cause;
            }
            throw new WeftException("function '" + function + "' failed on the scheduler: " + cause, cause);
        });
        return Blocking.await(result, Blocking.FOREVER, () -> "function '" + function + "' on the scheduler");
    }

    /**
     * Registers a bundle for the whole cluster (Dask's {@code register_worker_plugin} and
     * {@code upload_file}, done as OSGi does): the scheduler keeps it in its depot and every worker,
     * connected now or joining later, installs it in its own framework, where its task functions and
     * worker plugins are bound. A bundle with the same symbolic name replaces the one there (worker
     * plugins: old {@code teardown}, new {@code setup}, no event lost). Returns once every connected
     * worker has answered (or the scheduler stopped waiting), with each worker's state.
     *
     * @throws IllegalArgumentException if the file is not a bundle, or provides no task function,
     *         worker plugin or nanny plugin
     * @throws java.io.UncheckedIOException if the file cannot be read
     * @throws UnsupportedOperationException if this client's scheduler has no depot (an in-process cluster)
     * @since 1.2
     */
    public BundleUpload uploadBundle(java.nio.file.Path bundle) {
        return upload(bundle, false);
    }

    /**
     * Ships a plain jar ({@code mvn package} of an ordinary library) to every worker: the scheduler
     * wraps it into a bundle with bnd (imports computed, nothing exported) and each class annotated
     * {@code @TaskFunctionName} (plugin API) that implements
     * {@code TaskFunction} becomes a task function callable by that name. A jar
     * that is a bundle already is taken as it is. Otherwise as {@link #uploadBundle}.
     *
     * @throws IllegalArgumentException if the jar has no such class, or cannot be wrapped
     * @since 1.2
     */
    public BundleUpload uploadJar(java.nio.file.Path jar) {
        return upload(jar, true);
    }

    private BundleUpload upload(java.nio.file.Path file, boolean wrap) {
        requireOpen();
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        CompletableFuture<BundleUpload> result = call(() -> connection.uploadBundle(name, bytes, wrap)).handle((v, e) -> {
            if (e == null) {
                return BundleUpload.fromWire(v);
            }
            Throwable cause = Blocking.unwrap(e);
            if (cause instanceof IllegalArgumentException || cause instanceof UnsupportedOperationException) {
                throw (RuntimeException) cause;
            }
            throw new WeftException("uploading " + name + " failed: " + cause.getMessage(), cause);
        });
        return Blocking.await(result, Blocking.FOREVER, () -> "uploading " + name);
    }

    /** A connection call whose synchronous exception becomes a failed future. */
    private static <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void deliver(TopicEvent event) {
        Consumer<TopicEvent> handler = topicHandlers.get(event.topic());
        if (handler == null) {
            return;
        }
        try {
            handler.accept(event);
        } catch (RuntimeException e) {
            System.getLogger(Client.class.getName()).log(System.Logger.Level.WARNING,
                    "handler of topic '" + event.topic() + "' of client " + id + " threw", e);
        }
    }

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    /**
     * Retires workers, as Dask's {@code retire_workers}: each stops getting new tasks, every result
     * only it holds is copied to another worker (so it stays gatherable), then it closes and leaves.
     * A worker whose data no other worker can take is not retired and keeps running. Blocks until
     * every worker named is decided.
     *
     * @param workers worker addresses
     * @return one outcome per worker, in the order given: retired (and where its results went) or not (and why)
     * @throws IllegalStateException if the client is closed or its connection lost
     * @since 1.1
     */
    public List<RetireOutcome> retireWorkers(Collection<String> workers) {
        requireOpen();
        List<String> asked = List.copyOf(workers);
        return Blocking.await(connection.retireWorkers(asked), Blocking.FOREVER, () -> "retiring " + asked);
    }

    /**
     * Like {@link #retireWorkers(Collection)}.
     *
     * @since 1.1
     */
    public List<RetireOutcome> retireWorkers(String... workers) {
        return retireWorkers(Arrays.asList(workers));
    }

    /**
     * The {@code n} workers cheapest to close (idle first, then those holding the least data), as
     * Dask's {@code workers_to_close}, after every scheduler plugin's {@code validWorkersDownscaling}
     * filter (so possibly fewer). Nothing is closed; pass the answer to {@link #retireWorkers}.
     *
     * @since 1.1
     */
    public List<String> workersToClose(int n) {
        requireOpen();
        return Blocking.await(connection.workersToClose(n, null), Blocking.FOREVER, () -> "workers to close");
    }

    /**
     * How many workers the current work asks for, as Dask's {@code adaptive_target} with its default
     * target duration of 5 s: expected task time over 5 s, at most one per task, scaled down only
     * through {@link #workersToClose}.
     *
     * @since 1.1
     */
    public int adaptiveTarget() {
        requireOpen();
        return Blocking.await(connection.adaptiveTarget(5_000), Blocking.FOREVER, () -> "the adaptive target");
    }
}
