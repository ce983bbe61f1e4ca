package org.weft.client.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.weft.client.ClientOptions;
import org.weft.client.WeftException;
import org.weft.client.spi.ClientListener;
import org.weft.client.spi.SchedulerConnection;
import org.weft.client.spi.SchedulerEndpoint;
import org.weft.client.spi.TopicEvent;
import org.weft.comm.netty.TcpAddress;
import org.weft.comm.netty.TlsConfig;
import org.weft.comm.netty.TransportConfig;
import org.weft.protocol.Acceptor;
import org.weft.protocol.ClientMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.ProtocolException;
import org.weft.protocol.RetireOutcome;
import org.weft.protocol.Role;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.StoryEntry;
import org.weft.protocol.TaskSpec;
import org.weft.protocol.Values;

/**
 * A client's connection to a scheduler in another process, over one {@link Link}: graphs go as
 * {@link ClientMessage.UpdateGraph}, released keys as {@link ClientMessage.ReleaseKeys}, everything
 * else as a {@link ClientMessage.Call} (the methods are named in {@link ClientWire}); each answer
 * is the {@link SchedulerMessage.Reply} with the request's id. Reports and replies reach the
 * listener and the waiting futures on one delivery thread of this connection, in the order they
 * arrived, never on the transport's thread. When the link closes, every reply still awaited and
 * every pending key fail with the reason.
 */
public final class RemoteSchedulerConnection implements SchedulerConnection {

    private static final System.Logger LOG = System.getLogger(RemoteSchedulerConnection.class.getName());

    private final String address;
    private final String token;
    private final Duration connectTimeout;
    private final Connector connector;
    private final Map<Long, CompletableFuture<Object>> replies = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile ExecutorService delivery;
    private volatile ClientListener listener;
    private volatile Link link;
    /** Why the link closed; null while it is open (or not yet opened). */
    private volatile String lost;

    RemoteSchedulerConnection(String address, String token, Duration connectTimeout, Connector connector) {
        this.address = address;
        this.token = token;
        this.connectTimeout = connectTimeout;
        this.connector = connector;
    }

    /**
     * A connection, not yet opened, to the scheduler at {@code address}.
     *
     * @param address {@code tcp://host:port}
     * @throws IllegalArgumentException if {@code address} is not of that form
     */
    public static RemoteSchedulerConnection create(String address, ClientOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        TcpAddress at;
        try {
            at = TcpAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a scheduler address is tcp://host:port: " + e.getMessage(), e);
        }
        if (at.port() == 0) {
            throw new IllegalArgumentException("a scheduler address is tcp://host:port with a port in 1..65535: '"
                    + address + "'");
        }
        TransportConfig config = TransportConfig.defaults().withToken(options.token())
                .withConnectTimeoutMillis(options.connectTimeout().toMillis())
                .withHandshakeTimeoutMillis(options.connectTimeout().toMillis());
        if (options.tls()) {
            config = config.withTls(new TlsConfig(options.tlsCert(), options.tlsKey(), options.tlsCa(), false));
        }
        return new RemoteSchedulerConnection(at.toString(), options.token(), options.connectTimeout(),
                new NettyConnector(at.toString(), config));
    }

    /**
     * The scheduler at {@code address} as an endpoint whose connections use {@code transport}'s
     * token, TLS and timeouts: for a worker process, whose tasks reach their scheduler with
     * {@link org.weft.client.Client#current()} as the worker itself does.
     */
    public static SchedulerEndpoint endpoint(String address, TransportConfig transport) {
        String at = TcpAddress.parse(address).toString();
        Duration timeout = Duration.ofMillis(transport.connectTimeoutMillis() + transport.handshakeTimeoutMillis());
        return new SchedulerEndpoint() {
            @Override
            public String address() {
                return at;
            }

            @Override
            public SchedulerConnection connect() {
                return new RemoteSchedulerConnection(at, transport.token(), timeout, new NettyConnector(at, transport));
            }
        };
    }

    /** The scheduler's address, {@code tcp://host:port}. */
    public String address() {
        return address;
    }

    /**
     * Connects and says hello as {@code clientId}; returns once the scheduler welcomed this client.
     *
     * @throws WeftException if the scheduler cannot be reached, refused the client, or did not
     *         answer within the connect timeout
     */
    @Override
    public void open(String clientId, ClientListener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("connection already opened");
        }
        this.listener = listener;
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weft-client-" + clientId);
            t.setDaemon(true);
            return t;
        });
        Handshake.Hello hello = new Handshake.Hello(Handshake.VERSION, Role.CLIENT, clientId, token, Map.of());
        CompletableFuture<Link> connecting;
        try {
            connecting = connector.connect(hello, new Handler());
            link = connecting.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            shutDown();
            if (cause instanceof Acceptor.RefusedException) {
                throw new WeftException("the scheduler at " + address + " refused this client: " + cause.getMessage(), cause);
            }
            throw new WeftException("cannot connect to the scheduler at " + address + ": " + message(cause), cause);
        } catch (TimeoutException e) {
            shutDown();
            throw new WeftException("no answer from the scheduler at " + address + " within " + connectTimeout.toMillis()
                    + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutDown();
            throw new WeftException("interrupted while connecting to the scheduler at " + address, e);
        } catch (RuntimeException e) {
            shutDown();
            throw new WeftException("cannot connect to the scheduler at " + address + ": " + message(e), e);
        }
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** Frees the threads of a connection that failed to open. */
    private void shutDown() {
        lost = "not connected";
        connector.close();
        delivery.shutdown();
    }

    @Override
    public CompletableFuture<Void> updateGraph(List<TaskSpec> tasks, Set<String> wantedKeys) {
        List<ClientMessage.Task> wire = new ArrayList<>(tasks.size());
        for (TaskSpec spec : tasks) {
            ClientMessage.Task task = ClientWire.toWire(spec);
            try {
                Values.check(task.args());
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "task '" + spec.key() + "': its arguments cannot be sent to the scheduler: " + e.getMessage(), e));
            }
            wire.add(task);
        }
        return request(id -> new ClientMessage.UpdateGraph(id, wire, List.copyOf(wantedKeys))).thenApply(v -> null);
    }

    @Override
    public void releaseKeys(Collection<String> keys) {
        Link l = link;
        if (l != null) {
            l.send(new ClientMessage.ReleaseKeys(List.copyOf(keys)));
        }
    }

    @Override
    public CompletableFuture<Map<String, Object>> gather(Collection<String> keys) {
        return call(ClientWire.GATHER, Map.of("keys", List.copyOf(keys)), value -> {
            if (!(value instanceof Map<?, ?> encoded)) {
                throw new IllegalStateException("the scheduler answered a gather with " + ClientWire.describe(value));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : encoded.entrySet()) {
                if (!(e.getValue() instanceof byte[] bytes)) {
                    throw new IllegalStateException("the scheduler sent key '" + e.getKey() + "' as "
                            + ClientWire.describe(e.getValue()) + ", not as encoded bytes");
                }
                try {
                    out.put(String.valueOf(e.getKey()), Values.decode(bytes));
                } catch (ProtocolException pe) {
                    // malformed, or of a type no serializer in this JVM reads (the message names it)
                    throw new IllegalStateException("the value of key '" + e.getKey() + "' cannot be read: " + pe.getMessage(), pe);
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        Link l = link;
        if (l != null) {
            l.close(null); // the handler's closed() fails what still waits and frees the connector
        }
    }

    // ---------------------------------------------------------------- control (cancel, restart, events)

    @Override
    public CompletableFuture<Void> cancel(Collection<String> keys, boolean force) {
        return call(ClientWire.CANCEL, Map.of("keys", List.copyOf(keys), "force", force), v -> null);
    }

    @Override
    public CompletableFuture<Void> restart() {
        return call(ClientWire.RESTART, Map.of(), v -> null);
    }

    @Override
    public CompletableFuture<Void> restart(java.time.Duration timeout) {
        return call(ClientWire.RESTART, Map.of("timeoutMillis", Math.max(1, timeout.toMillis())), v -> null);
    }

    @Override
    public CompletableFuture<Void> logEvent(Collection<String> topics, Object message) {
        try {
            Values.check(message);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("topics", List.copyOf(topics));
        params.put("message", message);
        return call(ClientWire.LOG_EVENT, params, v -> null);
    }

    @Override
    public CompletableFuture<List<TopicEvent>> events(String topic) {
        return call(ClientWire.EVENTS, Map.of("topic", topic), v -> ClientWire.fromMaps(v, TopicEvent.class));
    }

    @Override
    public CompletableFuture<Void> subscribeTopic(String topic) {
        return call(ClientWire.SUBSCRIBE, Map.of("topic", topic), v -> null);
    }

    @Override
    public CompletableFuture<Void> unsubscribeTopic(String topic) {
        return call(ClientWire.UNSUBSCRIBE, Map.of("topic", topic), v -> null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Map<String, Object>> identity() {
        return call(ClientWire.IDENTITY, Map.of(), v -> {
            if (!(v instanceof Map)) {
                throw new IllegalStateException("the scheduler answered identity with " + ClientWire.describe(v));
            }
            return (Map<String, Object>) v;
        });
    }

    @Override
    public CompletableFuture<Object> runOnScheduler(String function, List<Object> args) {
        try {
            Values.check(args);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "the arguments of '" + function + "' cannot be sent to the scheduler: " + e.getMessage(), e));
        }
        return call(ClientWire.RUN_ON_SCHEDULER, Map.of("function", function, "args", args), v -> v);
    }

    @Override
    public CompletableFuture<List<StoryEntry>> story(Collection<String> keys) {
        return call(ClientWire.STORY, Map.of("keys", List.copyOf(keys)), v -> ClientWire.fromMaps(v, StoryEntry.class));
    }

    // ---------------------------------------------------------------- scaling (retire, heartbeats, idle)

    @Override
    public CompletableFuture<List<RetireOutcome>> retireWorkers(Collection<String> workers) {
        return call(ClientWire.RETIRE_WORKERS, Map.of("workers", List.copyOf(workers)),
                v -> ClientWire.fromMaps(v, RetireOutcome.class));
    }

    @Override
    public CompletableFuture<List<String>> workersToClose(Integer n, Integer target) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("n", n);
        params.put("target", target);
        return call(ClientWire.WORKERS_TO_CLOSE, params, v -> {
            if (!(v instanceof List<?> list)) {
                throw new IllegalStateException("the scheduler answered workers-to-close with " + ClientWire.describe(v));
            }
            return list.stream().map(String::valueOf).toList();
        });
    }

    @Override
    public CompletableFuture<Integer> adaptiveTarget(long targetDurationMillis) {
        return call(ClientWire.ADAPTIVE_TARGET, Map.of("targetDurationMillis", targetDurationMillis), v -> {
            if (!(v instanceof Number n)) {
                throw new IllegalStateException("the scheduler answered adaptive-target with " + ClientWire.describe(v));
            }
            return n.intValue();
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Map<String, Object>> uploadBundle(String fileName, byte[] bytes, boolean wrap) {
        return call(ClientWire.UPLOAD_BUNDLE, Map.of("name", fileName, "bytes", bytes, "wrap", wrap), v -> {
            if (!(v instanceof Map<?, ?> map)) {
                throw new IllegalStateException("the scheduler answered upload-bundle with " + ClientWire.describe(v));
            }
            return (Map<String, Object>) map;
        });
    }

    // ---------------------------------------------------------------- requests and replies

    private <T> CompletableFuture<T> call(String method, Map<String, Object> params, Function<Object, T> read) {
        return request(id -> new ClientMessage.Call(id, method, params)).thenApply(read);
    }

    /** Sends the message made with a fresh id; completes with the reply's value. */
    private CompletableFuture<Object> request(java.util.function.LongFunction<Message> make) {
        Link l = link;
        if (l == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection not opened"));
        }
        long id = ids.incrementAndGet();
        CompletableFuture<Object> reply = new CompletableFuture<>();
        replies.put(id, reply);
        if (lost != null) { // closed() may have run before the put: fail what it did not see
            failReplies();
        } else {
            l.send(make.apply(id));
        }
        return reply;
    }

    private void failReplies() {
        for (Long id : List.copyOf(replies.keySet())) {
            CompletableFuture<Object> reply = replies.remove(id);
            if (reply != null) {
                reply.completeExceptionally(new WeftException("connection to the scheduler at " + address + " lost: " + lost));
            }
        }
    }

    private void answer(SchedulerMessage.Reply reply) {
        CompletableFuture<Object> waiting = replies.remove(reply.id());
        if (waiting == null) {
            LOG.log(System.Logger.Level.DEBUG, "a reply to unknown request {0} from {1}", reply.id(), address);
        } else if (reply.failed()) {
            waiting.completeExceptionally(error(reply.errorType(), reply.error()));
        } else {
            waiting.complete(reply.value());
        }
    }

    /**
     * The exception a failed reply stands for: the JDK's argument and state errors as such, a
     * timeout as a {@link org.weft.client.WeftTimeoutException}, others as a WeftException.
     */
    static RuntimeException error(String type, String message) {
        return switch (type) {
            case "TimeoutException" -> new org.weft.client.WeftTimeoutException(message);
            case "IllegalArgumentException" -> new IllegalArgumentException(message);
            case "IllegalStateException" -> new IllegalStateException(message);
            case "UnsupportedOperationException" -> new UnsupportedOperationException(message);
            default -> new WeftException("the scheduler failed: " + type
                    + (message == null || message.equals(type) ? "" : ": " + message));
        };
    }

    private void report(Message m, ClientListener to) {
        if (m instanceof SchedulerMessage.Reply r) {
            answer(r);
        } else if (m instanceof SchedulerMessage.KeyInMemory k) {
            to.keyInMemory(k.key());
        } else if (m instanceof SchedulerMessage.KeyErred e) {
            to.keyErred(e.key(), e.exceptionText(), e.traceback(), e.blamedKey());
        } else if (m instanceof SchedulerMessage.KeyForgotten f) {
            to.keyForgotten(f.key(), f.reason());
        } else if (m instanceof SchedulerMessage.KeyCancelled c) {
            to.keyCancelled(c.key());
        } else if (m instanceof SchedulerMessage.TopicEvent e) {
            to.event(new TopicEvent(e.topic(), e.message(), e.timestampMillis()));
        } else if (m instanceof Handshake.Error e) {
            LOG.log(System.Logger.Level.WARNING, "the scheduler at {0} closes the connection: {1}", address, e.reason());
        } else {
            LOG.log(System.Logger.Level.DEBUG, "ignored {0} from the scheduler at {1}", m.getClass().getSimpleName(), address);
        }
    }

    /** On the transport's thread: hands everything to the delivery thread. */
    private final class Handler implements LinkHandler {

        @Override
        public void received(Link from, List<Message> messages) {
            ClientListener to = listener;
            deliver(() -> {
                for (Message m : messages) {
                    try {
                        report(m, to);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "handling " + m.getClass().getSimpleName() + " from "
                                + address + " failed", e);
                    }
                }
            });
        }

        @Override
        public void closed(Link from, String reason) {
            lost = reason == null ? "closed" : reason;
            deliver(() -> {
                failReplies();
                try {
                    connector.close(); // freed before the listener fails the futures that callers wait on
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "closing the connection to " + address + " failed", e);
                }
                listener.connectionLost(lost);
            });
            delivery.shutdown();
        }
    }

    /** Runs {@code work} on the delivery thread; after a failed open there is none and nothing waits. */
    private void deliver(Runnable work) {
        try {
            delivery.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "the connection to {0} has ended; dropped what arrived", address);
        }
    }

    @Override
    public String toString() {
        return "RemoteSchedulerConnection[" + address + (lost == null ? "" : ", " + lost) + "]";
    }
}
