package org.weft.worker.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.comm.netty.NettyServer;
import org.weft.comm.netty.NettyTransport;
import org.weft.comm.netty.TransportConfig;
import org.weft.node.SchedulerInstruction;
import org.weft.node.WorkerInstruction;
import org.weft.node.functions.TaskFunctionRegistry;
import org.weft.node.link.SchedulerLink;
import org.weft.node.wire.StatusWire;
import org.weft.node.wire.WireMapping;
import org.weft.plugin.api.TransitionRecord;
import org.weft.pluginhost.PluginHostConfig;
import org.weft.protocol.Acceptor;
import org.weft.protocol.DataMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.Role;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.Values;
import org.weft.protocol.WorkerMessage;
import org.weft.worker.WorkerNode;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;
import org.weft.worker.WorkerPlugins;

/**
 * A worker in its own process: one {@link WorkerNode} whose scheduler is at the end of a TCP link,
 * and a data server its peers fetch results from. The worker's address is its data server's,
 * {@code tcp://HOST:PORT}. It runs until the scheduler tells it to close, it is closed, or it
 * loses the scheduler for longer than the reconnect timeout ({@link #exited()} then says why).
 */
public final class WorkerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);

    /**
     * @param name the worker's name (shown by the scheduler); null: its address
     * @param listenHost where it serves its results to peers (127.0.0.1 unless told)
     * @param reconnectTimeoutMillis how long it tries to reach a scheduler it lost before it gives up
     */
    public record Config(String schedulerAddress, String name, int nthreads, Map<String, Double> resources,
            String listenHost, TransportConfig transport, long reconnectTimeoutMillis, long heartbeatMillis,
            PluginHostConfig plugins, boolean validate) {
    }

    /**
     * Why a worker process ended: {@code status} 0 when told to close, {@link #LOST_SCHEDULER} when
     * it lost its scheduler, {@link #RESTART} when the scheduler restarted it and a nanny starts it again.
     */
    public record Exit(int status, String reason) {
    }

    /** Exit status: the scheduler could not be reached within the reconnect timeout. */
    public static final int LOST_SCHEDULER = 1;
    /**
     * Exit status of a worker under a nanny that the scheduler told to restart: the nanny starts a
     * fresh worker process at once (bin/weft's nanny knows this number: keep them in step).
     */
    public static final int RESTART = 75;
    /**
     * The environment variable a nanny starts its worker process with: the nanny's id, which the
     * worker says in its hello ({@code nannyId}) so a restart can wait for the nanny's fresh worker
     * (the nanny bundle knows this name: keep them in step).
     */
    public static final String NANNY_ID_ENV = "WEFT_NANNY_ID";

    private final Config config;
    private final NettyTransport transport;
    private final ScheduledExecutorService timer;
    private final NettyServer dataServer;
    private final PeerLinks peers;
    /** What its heartbeats carry: its own task counts, transfers, CPU and memory. */
    private final WorkerFigures figures = new WorkerFigures();
    private final WorkerNode node;
    private final WorkerPlugins plugins = new WorkerPlugins();
    private final TaskFunctionRegistry functions;
    private final java.util.concurrent.atomic.AtomicLong runs = new java.util.concurrent.atomic.AtomicLong();
    private final String name;
    private final CompletableFuture<Exit> exited = new CompletableFuture<>();
    private volatile Link scheduler;
    /** What it offers the scheduler: the config's, and what {@link #offer} added. */
    private volatile Map<String, Double> resources;
    private volatile boolean closing;
    private volatile boolean retiring;
    private volatile boolean underNanny;
    private volatile String nannyId;
    /** Installs the depot's bundles in order with the scheduler's other messages; null: none can be installed here. */
    private final org.weft.depot.DepotInbox depot;

    private WorkerProcess(Config config, TaskFunctionRegistry functions, org.weft.depot.BundleHost bundles) {
        this.config = config;
        this.resources = config.resources();
        this.functions = functions;
        this.transport = new NettyTransport(1);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-timer");
            t.setDaemon(true);
            return t;
        });
        try {
            this.dataServer = transport.listen(config.listenHost(), 0, config.transport(), this::acceptPeer);
        } catch (java.io.IOException e) {
            transport.close();
            timer.shutdownNow();
            throw new java.io.UncheckedIOException("worker cannot listen on " + config.listenHost() + ": " + e.getMessage(), e);
        }
        String address = dataServer.address();
        this.name = config.name() == null || config.name().isBlank() ? address : config.name();
        this.peers = new PeerLinks(transport, config.transport(), address, figures);
        this.node = new WorkerNode(address, config.nthreads(), config.resources(), functions, new ToScheduler(),
                org.weft.client.remote.RemoteSchedulerConnection.endpoint(config.schedulerAddress(), config.transport()),
                peers, config.plugins(), config.validate());
        node.sizeResultsWith(Values::encodedSize); // checks, and nbytes is the size on the wire
        this.depot = bundles == null ? null : new org.weft.depot.DepotInbox(bundles, this::fromScheduler);
        node.onCloseRequest(reason -> {
            LOG.info("worker {} told to close by the scheduler: {}", name, reason);
            finish(new Exit(0, "closed by the scheduler: " + reason));
        });
    }

    /**
     * Starts the worker and joins the scheduler; returns once the scheduler welcomed it.
     *
     * @throws IllegalStateException if the scheduler cannot be reached or refuses the worker
     *         within the reconnect timeout
     */
    public static WorkerProcess start(Config config, TaskFunctionRegistry functions) {
        return start(config, functions, null);
    }

    /** As {@link #start(Config, TaskFunctionRegistry)}, installing the scheduler's depot bundles into {@code bundles}. */
    public static WorkerProcess start(Config config, TaskFunctionRegistry functions, org.weft.depot.BundleHost bundles) {
        WorkerProcess process = create(config, functions, bundles);
        process.join();
        return process;
    }

    /** A started worker that has not joined its scheduler yet: {@link #join()} does. Plugins may be added meanwhile. */
    public static WorkerProcess create(Config config, TaskFunctionRegistry functions) {
        return create(config, functions, null);
    }

    /**
     * As {@link #create(Config, TaskFunctionRegistry)}; the bundles of the scheduler's depot are
     * installed into {@code bundles} (null: none can be, each is answered FAILED).
     */
    public static WorkerProcess create(Config config, TaskFunctionRegistry functions, org.weft.depot.BundleHost bundles) {
        WorkerProcess process = new WorkerProcess(config, functions, bundles);
        process.node.start();
        return process;
    }

    /**
     * Joins the scheduler, retrying until the reconnect timeout; then heartbeats.
     *
     * @throws IllegalStateException if the scheduler cannot be reached or refuses the worker in
     *         time; the worker is closed then
     */
    public void join() {
        try {
            scheduler = connect(config.reconnectTimeoutMillis(), false);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        node.startHeartbeats(timer, config.heartbeatMillis());
        timer.scheduleWithFixedDelay(node::pluginUpkeep, 1, 1, TimeUnit.SECONDS);
    }

    public String address() {
        return node.address();
    }

    public String name() {
        return name;
    }

    public WorkerNode node() {
        return node;
    }

    /**
     * Offers more resources than the config's, e.g. the GPUs a plugin found ({@code GPU=auto});
     * only before {@link #join()}.
     *
     * @throws IllegalStateException once the worker joined or has tasks
     * @throws IllegalArgumentException for a bad quantity or a resource it offers already
     */
    public void offer(Map<String, Double> more) {
        if (scheduler != null) {
            throw new IllegalStateException("worker " + name + " joined already: resources are offered before joining");
        }
        node.addResources(more);
        resources = node.resources();
    }

    /** Registers a worker plugin on this worker (setup now); completes with the outcome. */
    public CompletableFuture<List<WorkerPluginOutcome>> addWorkerPlugin(WorkerPluginFactory factory) {
        return plugins.add(factory, List.of(node));
    }

    /** The factory's plugin leaves this worker (teardown). */
    public CompletableFuture<Void> removeWorkerPlugin(WorkerPluginFactory factory) {
        return removeWorkerPlugin(factory, false);
    }

    /** With {@code awaitReplacement} (its bundle is being updated) the worker holds the plugin's events for its successor. */
    public CompletableFuture<Void> removeWorkerPlugin(WorkerPluginFactory factory, boolean awaitReplacement) {
        return plugins.remove(factory, address -> address.equals(node.address()) ? node : null, awaitReplacement);
    }

    /**
     * This worker runs under a nanny: a restart from the scheduler ends the process with status
     * {@link #RESTART} (the nanny starts a fresh one) instead of emptying the worker in place. The
     * scheduler is told so when the worker joins ({@code nanny: true} in its hello).
     */
    public void restartThroughNanny() {
        underNanny = true;
    }

    /** {@link #restartThroughNanny()}, saying the nanny's id in the hello ({@code nannyId}; null: none known). */
    public void restartThroughNanny(String nannyId) {
        this.nannyId = nannyId == null || nannyId.isBlank() ? null : nannyId.trim();
        underNanny = true;
    }

    /** Completes when this worker ends, with why. */
    public CompletableFuture<Exit> exited() {
        return exited;
    }

    // ---------------------------------------------------------------- the link to the scheduler

    /**
     * Connects and joins, retrying until {@code timeoutMillis} have passed. A first join gives up at
     * a refusal (a wrong token, a bad option: trying again changes nothing); a worker joining
     * again after losing the scheduler keeps trying, since the scheduler may still hold its old,
     * dead connection for a moment.
     */
    private Link connect(long timeoutMillis, boolean rejoining) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("address", address());
        info.put("nthreads", config.nthreads());
        info.put("resources", resources);
        if (underNanny) {
            info.put("nanny", true);
            if (nannyId != null) {
                info.put("nannyId", nannyId);
            }
        }
        Handshake.Hello hello = new Handshake.Hello(Handshake.VERSION, Role.WORKER, name, config.transport().token(), info);
        Throwable last = null;
        do {
            try {
                Link link = transport.connect(config.schedulerAddress(), config.transport(), hello, new FromScheduler())
                        .get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                LOG.info("worker {} at {} joined the scheduler at {}", name, address(), config.schedulerAddress());
                return link;
            } catch (ExecutionException e) {
                last = e.getCause();
                if (last instanceof Acceptor.RefusedException) {
                    if (!rejoining) {
                        break;
                    }
                    LOG.warn("worker {}: the scheduler at {} refused to take it back ({}); trying again", name,
                            config.schedulerAddress(), last.getMessage());
                }
            } catch (TimeoutException e) {
                last = new TimeoutException("no welcome in time");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = e;
                break;
            }
            sleep(Math.min(1000, Math.max(0, deadline - System.currentTimeMillis())));
        } while (System.currentTimeMillis() < deadline && !closing);
        String why = last instanceof Acceptor.RefusedException ? "refused: " + last.getMessage()
                : "not reachable within " + timeoutMillis + " ms" + (last == null ? "" : " (" + last.getMessage() + ")");
        throw new IllegalStateException("worker " + name + " could not join the scheduler at " + config.schedulerAddress()
                + ": " + why);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The scheduler is gone: it has removed this worker and will run its tasks elsewhere, so the
     * worker drops everything, then tries to join again as a fresh worker.
     */
    private void schedulerLost(String reason) {
        if (closing) {
            return;
        }
        if (retiring) {
            LOG.info("worker {} lost the scheduler while retiring ({}); closing", name, reason);
            finish(new Exit(0, "the scheduler went away while this worker retired: " + reason));
            return;
        }
        LOG.warn("worker {} lost the scheduler at {}: {}; trying to join again for {} ms", name,
                config.schedulerAddress(), reason, config.reconnectTimeoutMillis());
        node.control(List.of(new SchedulerInstruction.RestartWorker(address(), "scheduler-lost")));
        Thread retry = new Thread(() -> {
            try {
                scheduler = connect(config.reconnectTimeoutMillis(), true);
            } catch (IllegalStateException e) {
                LOG.error("{}", e.getMessage());
                finish(new Exit(LOST_SCHEDULER, e.getMessage()));
            }
        }, "weft-reconnect");
        retry.setDaemon(true);
        retry.start();
    }

    /** What the worker's loop sends the scheduler. */
    private final class ToScheduler implements SchedulerLink {
        @Override
        public void reports(String worker, List<WorkerInstruction> reports, boolean workerIdle) {
            Link link = scheduler;
            if (link == null) {
                return; // not joined yet, or lost: the scheduler will not expect these
            }
            List<Message> out = new ArrayList<>(reports.size());
            for (WorkerInstruction r : reports) {
                WorkerMessage m = WireMapping.toMessage(r);
                if (m != null) {
                    out.add(m);
                }
            }
            link.send(out);
        }

        @Override
        public void heartbeat(String worker) {
            Link link = scheduler;
            if (link != null) {
                node.query(figures::of).thenAccept(now -> link.send(new WorkerMessage.Heartbeat(now)));
            }
        }
    }

    /**
     * What the scheduler sends, in order; consecutive computes go to the worker's loop as one batch.
     * Depot bundles are installed first, and what came after one waits until it is ({@link org.weft.depot.DepotInbox}).
     */
    private final class FromScheduler implements LinkHandler {
        @Override
        public void received(Link link, List<Message> messages) {
            lastLink = link;
            if (depot != null) {
                depot.received(messages, link::send);
            } else {
                fromScheduler(messages);
            }
        }

        @Override
        public void closed(Link link, String reason) {
            if (scheduler == link || scheduler == null) {
                scheduler = null;
                schedulerLost(reason);
            }
        }
    }

    /** The link the scheduler's messages last came on (set before the worker knows the connect finished). */
    private volatile Link lastLink;

    private void fromScheduler(List<Message> messages) {
        Link link = lastLink;
        List<SchedulerInstruction.ComputeTask> computes = null;
        for (Message m : messages) {
            if (m instanceof SchedulerMessage.ComputeTask c) {
                if (computes == null) {
                    computes = new ArrayList<>();
                }
                computes.add(WireMapping.fromMessage(address(), c));
                continue;
            }
            if (computes != null) {
                node.computeTasks(computes);
                computes = null;
            }
            if (m instanceof SchedulerMessage.CloseWorker c && SchedulerInstruction.CloseWorker.forSilence(c.stimulusId())
                    && !retiring) {
                LOG.warn("worker {} was removed by the scheduler as silent ({}) but is alive: leaving this link to join "
                        + "again as a fresh worker", name, c.reason());
                link.close(null); // closed() below: dropped as when the scheduler is lost, then joins again
                return;
            }
            if (m instanceof SchedulerMessage.RestartWorker r && underNanny) {
                LOG.info("worker {} told to restart by the scheduler ({}): ending with status {} for its nanny to start a fresh one",
                        name, r.stimulusId(), RESTART);
                finish(new Exit(RESTART, "restarted by the scheduler"));
                return;
            }
            if (m instanceof SchedulerMessage.FreeKeys f) {
                node.freeKeys(f.keys(), f.stimulusId());
            } else if (m instanceof DataMessage.GetData g) {
                DataServer.answer(node, g, link, figures);
            } else if (m instanceof SchedulerMessage.Ask a) {
                answer(a, link);
            } else if (m instanceof org.weft.protocol.BundleMessage b) {
                refuseBundle(b, link);
            } else {
                SchedulerInstruction control = WireMapping.controlFromMessage(address(), m);
                if (control != null) {
                    node.control(List.of(control));
                } else {
                    LOG.warn("worker {} ignores a message it does not expect from the scheduler: {}", name, m);
                }
            }
        }
        if (computes != null) {
            node.computeTasks(computes);
        }
    }

    /** A worker without a framework to install into (plain Java) answers each depot bundle FAILED. */
    private void refuseBundle(org.weft.protocol.BundleMessage m, Link link) {
        if (m instanceof org.weft.protocol.BundleMessage.InstallBundle install && link != null) {
            link.send(new org.weft.protocol.BundleMessage.BundleState(install.symbolicName(), install.sha256(),
                    org.weft.protocol.BundleMessage.State.FAILED, "this worker runs without an OSGi framework to install "
                    + "bundles in"));
        }
    }

    /**
     * The scheduler's questions: {@code story} (this worker's entries for keys), {@code plugins}
     * (their status), {@code run} (a registered task function, for {@code WorkerProcesses.runOnEach}).
     */
    private void answer(SchedulerMessage.Ask ask, Link link) {
        CompletableFuture<Object> answer;
        if ("story".equals(ask.what()) && ask.params().get("keys") instanceof List<?> keys) {
            answer = node.query(state -> {
                List<Object> out = new ArrayList<>();
                for (Object key : keys) {
                    for (TransitionRecord r : state.story(String.valueOf(key))) {
                        out.add(StatusWire.story(r));
                    }
                }
                return out;
            });
        } else if ("plugins".equals(ask.what())) {
            answer = node.pluginStatus().thenApply(all -> all.stream().map(StatusWire::plugin).collect(
                    java.util.stream.Collectors.toList()));
        } else if ("run".equals(ask.what()) && ask.params().get("function") instanceof String function) {
            answer = run(function, ask.params().get("args") instanceof List<?> args ? new ArrayList<>(args) : List.of());
        } else {
            answer = CompletableFuture.failedFuture(new IllegalArgumentException("unknown question '" + ask.what() + "'"));
        }
        answer.whenComplete((value, error) -> link.send(error == null ? new WorkerMessage.Answer(ask.id(), value, null)
                : new WorkerMessage.Answer(ask.id(), null, error.getMessage() != null ? error.getMessage() : error.toString())));
    }

    /**
     * Runs a registered task function on a thread of its own (never the loop or an executor: it may
     * take a while, e.g. the resource monitor's gathering of a trace); completes with its result.
     */
    private CompletableFuture<Object> run(String function, List<Object> args) {
        org.weft.plugin.api.TaskFunction f;
        try {
            f = functions.lookup(function);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        String key = "run-on-worker-" + function + "-" + runs.incrementAndGet();
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                Object value = f.apply(args, new RunContext(key, address()));
                if (value instanceof java.util.concurrent.CompletionStage<?> later) {
                    later.whenComplete((v, e) -> complete(result, v, e));
                } else {
                    complete(result, value, null);
                }
            } catch (Exception | LinkageError e) {
                result.completeExceptionally(e);
            }
        }, "weft-run-" + function);
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** Completes with a value that can cross to the scheduler, or with why not (not by dropping the link). */
    private static void complete(CompletableFuture<Object> result, Object value, Throwable error) {
        if (error != null) {
            result.completeExceptionally(error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error);
            return;
        }
        try {
            Values.check(value);
            result.complete(value);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** A function run for the scheduler holds no worker thread: secede and rejoin have nothing to do. */
    private record RunContext(String key, String worker) implements org.weft.plugin.api.TaskContext {
        @Override
        public void secede() {
        }

        @Override
        public void rejoin() {
        }
    }

    /** Peers (and clients) asking for data: only {@code get-data}. */
    private Acceptor.Accepted acceptPeer(Handshake.Hello hello, Link link) throws Acceptor.RefusedException {
        if (hello.role() != Role.PEER) {
            throw new Acceptor.RefusedException("a worker's data port serves peers only, not a " + hello.role());
        }
        return new Acceptor.Accepted(new Handshake.Welcome(name, address()), new LinkHandler() {
            @Override
            public void received(Link from, List<Message> messages) {
                for (Message m : messages) {
                    if (m instanceof DataMessage.GetData g) {
                        DataServer.answer(node, g, from, figures);
                    }
                }
            }

            @Override
            public void closed(Link from, String reason) {
            }
        });
    }

    /**
     * Leaves the cluster gracefully (SIGTERM): asks the scheduler to retire this worker, which
     * copies the results only it holds to other workers and then tells it to close; waits for that
     * up to {@code timeoutMillis}, then closes.
     */
    public void retire(long timeoutMillis) {
        Link link = scheduler;
        retiring = true;
        if (link != null && link.isOpen() && !exited.isDone()) {
            LOG.info("worker {} retiring: its unique results move to other workers first", name);
            link.send(new WorkerMessage.Retire("asked to stop"));
            try {
                exited.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("worker {} was not retired within {} ms; closing anyway", name, timeoutMillis);
            } catch (ExecutionException e) {
                LOG.warn("worker {} retire failed", name, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    private void finish(Exit exit) {
        if (exited.complete(exit)) {
            Thread closer = new Thread(this::close, "weft-worker-close");
            closer.setDaemon(true);
            closer.start();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        Link link = scheduler;
        scheduler = null;
        node.stopHeartbeats();
        if (link != null) {
            link.close(null);
        }
        node.close();
        if (depot != null) {
            depot.close();
        }
        plugins.releaseInstancesOf(node.address());
        peers.close();
        dataServer.close();
        timer.shutdownNow();
        transport.close();
        exited.complete(new Exit(0, "closed"));
    }
}
