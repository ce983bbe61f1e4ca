package org.weft.scheduler.core.remote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.client.remote.ClientWire;
import org.weft.node.SchedulerInstruction;
import org.weft.protocol.Acceptor;
import org.weft.protocol.ClientMessage;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;
import org.weft.protocol.SchedulerMessage;
import org.weft.protocol.TaskSpec;
import org.weft.protocol.Values;
import org.weft.scheduler.core.cluster.DuplicateClientException;
import org.weft.scheduler.core.cluster.SchedulerService;
import org.weft.scheduler.core.cluster.SchedulerNode;

/**
 * The scheduler's side of one remote client: what {@code InProcessConnection} does for a client in
 * the same JVM, over a {@link Link}. The client is registered when its hello is accepted and
 * removed when its link closes (the scheduler then releases what it wanted). Requests are read on
 * the transport's thread and handed to the scheduler's loop; replies and reports are sent from the
 * loop. Each {@link ClientMessage.UpdateGraph} and {@link ClientMessage.Call} gets a
 * {@link SchedulerMessage.Reply}: the value, or the exception's simple class name and message.
 */
public final class ClientSession implements LinkHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    private final SchedulerService cluster;
    private final SchedulerNode scheduler;
    private final GatherSource gather;
    private final String address;
    private final String clientId;
    private final Link link;
    /** Where uploaded bundles go; null: this scheduler has no depot. */
    private final org.weft.depot.DepotDistributor depot;

    private ClientSession(SchedulerService cluster, GatherSource gather, String address, String clientId, Link link,
            org.weft.depot.DepotDistributor depot) {
        this.depot = depot;
        this.cluster = cluster;
        this.scheduler = cluster.scheduler();
        this.gather = gather;
        this.address = address;
        this.clientId = clientId;
        this.link = link;
    }

    /**
     * Serves the client that said {@code hello} (role CLIENT, its id as name) on {@code link}: for
     * an acceptor to call. Registers the client with the cluster's scheduler at once.
     *
     * @param gather where gathers read results
     * @param address the scheduler's address ({@code tcp://HOST:PORT}), as identity reports it
     * @param schedulerId the id the welcome carries
     * @throws Acceptor.RefusedException if the hello names no client, or a client with that id is connected
     */
    public static Acceptor.Accepted accept(SchedulerService cluster, GatherSource gather, String address, String schedulerId,
            Handshake.Hello hello, Link link) throws Acceptor.RefusedException {
        return accept(cluster, gather, address, schedulerId, hello, link, null);
    }

    /** As {@link #accept(SchedulerService, GatherSource, String, String, Handshake.Hello, Link)}, with uploads going to {@code depot}. */
    public static Acceptor.Accepted accept(SchedulerService cluster, GatherSource gather, String address, String schedulerId,
            Handshake.Hello hello, Link link, org.weft.depot.DepotDistributor depot) throws Acceptor.RefusedException {
        if (hello.name() == null || hello.name().isBlank()) {
            throw new Acceptor.RefusedException("a client must give its id as its name");
        }
        ClientSession session = new ClientSession(cluster, gather, address, hello.name(), link, depot);
        CompletableFuture<Void> added;
        try {
            added = session.scheduler.addClient(session.clientId, session::report);
        } catch (DuplicateClientException e) {
            throw new Acceptor.RefusedException(e.getMessage());
        }
        added.whenComplete((done, error) -> {
            if (error != null) {
                link.close("the scheduler could not add client " + session.clientId + ": " + cause(error).getMessage());
            }
        });
        LOG.debug("client {} connected from {}", session.clientId, link.remoteAddress());
        return new Acceptor.Accepted(new Handshake.Welcome(schedulerId, session.clientId), session);
    }

    /** The scheduler's reports of one loop turn, as one batch. */
    private void report(List<SchedulerInstruction> reports) {
        List<Message> out = new ArrayList<>(reports.size());
        for (SchedulerInstruction r : reports) {
            if (r instanceof SchedulerInstruction.ReportMemory m) {
                out.add(new SchedulerMessage.KeyInMemory(m.key()));
            } else if (r instanceof SchedulerInstruction.ReportErred e) {
                out.add(new SchedulerMessage.KeyErred(e.key(), e.exceptionText(), e.traceback(), e.blamedKey()));
            } else if (r instanceof SchedulerInstruction.ReportForgotten f) {
                out.add(new SchedulerMessage.KeyForgotten(f.key(), f.reason()));
            } else if (r instanceof SchedulerInstruction.ReportCancelled c) {
                out.add(new SchedulerMessage.KeyCancelled(c.key()));
            } else if (r instanceof SchedulerInstruction.ReportEvent e) {
                out.add(new SchedulerMessage.TopicEvent(e.topic(), e.message(), e.timestampMillis()));
            }
        }
        if (!out.isEmpty()) {
            link.send(out);
        }
    }

    @Override
    public void received(Link from, List<Message> messages) {
        for (Message m : messages) {
            if (m instanceof ClientMessage.UpdateGraph g) {
                reply(g.id(), updateGraph(g));
            } else if (m instanceof ClientMessage.ReleaseKeys r) {
                scheduler.releaseKeys(clientId, r.keys() == null ? List.of() : r.keys());
            } else if (m instanceof ClientMessage.Call c) {
                CompletableFuture<?> result;
                try {
                    result = call(c.method(), c.params());
                } catch (RuntimeException e) {
                    result = CompletableFuture.failedFuture(e);
                }
                reply(c.id(), result);
            } else {
                LOG.debug("client {} sent {}, ignored", clientId, m.getClass().getSimpleName());
            }
        }
    }

    private CompletableFuture<Void> updateGraph(ClientMessage.UpdateGraph g) {
        List<TaskSpec> tasks = new ArrayList<>(g.tasks().size());
        try {
            for (ClientMessage.Task t : g.tasks()) {
                tasks.add(ClientWire.fromWire(t));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage(), e));
        }
        return scheduler.updateGraph(clientId, tasks, new LinkedHashSet<>(g.wanted()));
    }

    /** One {@link ClientMessage.Call}; the methods and their params are listed in {@link ClientWire}. */
    private CompletableFuture<?> call(String method, Map<String, Object> params) {
        return switch (method == null ? "" : method) {
            case ClientWire.GATHER -> scheduler.locate(strings(params, "keys")).thenCompose(gather::fetch);
            case ClientWire.CANCEL -> scheduler.cancel(clientId, strings(params, "keys"), Boolean.TRUE.equals(params.get("force")))
                    .thenApply(outcome -> null);
            case ClientWire.RESTART -> cluster.restart(clientId, params.get("timeoutMillis") == null ? null
                    : number(params, "timeoutMillis").longValue()).thenApply(back -> null);
            case ClientWire.LOG_EVENT -> scheduler.logEvent(strings(params, "topics"), params.get("message"));
            case ClientWire.EVENTS -> scheduler.events(string(params, "topic")).thenApply(ClientWire::toMaps);
            case ClientWire.SUBSCRIBE -> scheduler.subscribeTopic(clientId, string(params, "topic"));
            case ClientWire.UNSUBSCRIBE -> scheduler.unsubscribeTopic(clientId, string(params, "topic"));
            case ClientWire.IDENTITY -> scheduler.identity(address);
            case ClientWire.RUN_ON_SCHEDULER -> cluster.runOnScheduler(string(params, "function"), list(params, "args"));
            case ClientWire.STORY -> cluster.story(strings(params, "keys")).thenApply(ClientWire::toMaps);
            case ClientWire.RETIRE_WORKERS -> scheduler.retireWorkers(strings(params, "workers")).thenApply(ClientWire::toMaps);
            case ClientWire.WORKERS_TO_CLOSE -> scheduler.workersToClose(optionalInt(params, "n"), optionalInt(params, "target"));
            case ClientWire.ADAPTIVE_TARGET -> scheduler.adaptiveTarget(number(params, "targetDurationMillis").longValue());
            case ClientWire.UPLOAD_BUNDLE -> upload(params);
            default -> throw new UnsupportedOperationException("the scheduler has no method '" + method + "'");
        };
    }

    /** A bundle (or, with {@code wrap}, a plain jar) for the depot; installing it is not for the transport's thread. */
    private CompletableFuture<?> upload(Map<String, Object> params) {
        if (depot == null) {
            throw new UnsupportedOperationException("this scheduler keeps no bundle depot (a scheduler process, bin/weft "
                    + "scheduler, does)");
        }
        String name = string(params, "name");
        if (!(required(params, "bytes") instanceof byte[] bytes)) {
            throw new IllegalArgumentException("parameter 'bytes' must be bytes");
        }
        boolean wrap = Boolean.TRUE.equals(params.get("wrap"));
        LOG.info("client {} uploads {} ({} bytes{})", clientId, name, bytes.length, wrap ? ", a plain jar to wrap" : "");
        return CompletableFuture.supplyAsync(() -> depot.upload(name, bytes, wrap)).thenCompose(f -> f);
    }

    private void reply(long id, CompletableFuture<?> result) {
        result.whenComplete((value, error) -> {
            if (error == null) {
                try {
                    Values.check(value);
                    link.send(SchedulerMessage.Reply.ok(id, value));
                    return;
                } catch (IllegalArgumentException e) {
                    error = e;
                }
            }
            Throwable cause = cause(error);
            link.send(SchedulerMessage.Reply.failed(id, cause.getClass().getSimpleName(), cause.getMessage()));
        });
    }

    private static Throwable cause(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public void closed(Link from, String reason) {
        LOG.debug("client {} left: {}", clientId, reason);
        scheduler.removeClient(clientId);
    }

    // ---------------------------------------------------------------- params

    private static Object required(Map<String, Object> params, String name) {
        Object value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing parameter '" + name + "'");
        }
        return value;
    }

    private static String string(Map<String, Object> params, String name) {
        if (!(required(params, name) instanceof String s)) {
            throw new IllegalArgumentException("parameter '" + name + "' must be a string");
        }
        return s;
    }

    private static List<Object> list(Map<String, Object> params, String name) {
        Object value = params.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l)) {
            throw new IllegalArgumentException("parameter '" + name + "' must be a list");
        }
        return new ArrayList<>(l);
    }

    private static Collection<String> strings(Map<String, Object> params, String name) {
        List<String> out = new ArrayList<>();
        for (Object o : list(params, name)) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException("parameter '" + name + "' must be a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    private static Number number(Map<String, Object> params, String name) {
        if (!(required(params, name) instanceof Number n)) {
            throw new IllegalArgumentException("parameter '" + name + "' must be a number");
        }
        return n;
    }

    private static Integer optionalInt(Map<String, Object> params, String name) {
        return params.get(name) == null ? null : number(params, name).intValue();
    }

    @Override
    public String toString() {
        return "ClientSession[" + clientId + " from " + link.remoteAddress() + "]";
    }
}
