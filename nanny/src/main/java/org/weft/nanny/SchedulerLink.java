package org.weft.nanny;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.comm.netty.NettyTransport;
import org.weft.comm.netty.TransportConfig;
import org.weft.depot.BundleHost;
import org.weft.depot.DepotInbox;
import org.weft.protocol.Handshake;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;

/**
 * The nanny's link to its worker's scheduler (a hello as {@code NANNY} with the nanny's id): the
 * scheduler's depot sends the bundles that provide nanny plugins on it, which are installed into the
 * nanny's framework ({@link BundleHost}) in order, each answered with its state; DS then binds their
 * {@code NannyPlugin} services to the nanny. A lost or refused link is tried again (1 s, doubling to
 * 10 s apart) until the nanny stops; on every new link the scheduler sends its whole depot again,
 * then {@code depot-sync}, which uninstalls what it no longer has.
 */
final class SchedulerLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLink.class);
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 10_000;

    private final String address;
    private final TransportConfig config;
    private final Handshake.Hello hello;
    private final NettyTransport transport = new NettyTransport(1);
    private final DepotInbox inbox;
    private final CompletableFuture<Void> firstSync = new CompletableFuture<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weft-nanny-link");
        t.setDaemon(true);
        return t;
    });
    // on the retries thread
    private long nextDelay = FIRST_RETRY_MILLIS;
    private boolean failureSaid;
    private volatile Link link;
    private volatile boolean closed;

    SchedulerLink(String address, TransportConfig config, Handshake.Hello hello, BundleHost bundles) {
        this.address = address;
        this.config = config;
        this.hello = hello;
        this.inbox = new DepotInbox(bundles, messages -> LOG.debug("the scheduler sent the nanny {}; ignored", messages));
        inbox.onSynced(() -> firstSync.complete(null));
    }

    /** Connects (and keeps connecting when lost) until {@link #close()}. */
    void start() {
        retries.execute(this::connect);
    }

    /**
     * Completes once the depot the scheduler sent on the first link is installed here, or at once
     * when the first try to reach the scheduler fails (the worker need not wait for a scheduler
     * that is not there yet; the plugins come when it is).
     */
    CompletableFuture<Void> firstSync() {
        return firstSync;
    }

    private void connect() {
        if (closed) {
            return;
        }
        transport.connect(address, config, hello, new Handler()).whenComplete((connected, failed) -> {
            if (failed == null) {
                link = connected;
                if (closed) {
                    connected.close("the nanny stops");
                    return;
                }
                if (!connected.isOpen()) { // closed before this saw it: its close found no link to retry
                    link = null;
                    retries.execute(() -> retry("the link to the scheduler at " + address + " closed at once"));
                    return;
                }
                LOG.info("nanny connected to its scheduler at {}", address);
                retries.execute(() -> {
                    nextDelay = FIRST_RETRY_MILLIS;
                    failureSaid = false;
                });
            } else {
                firstSync.complete(null);
                retries.execute(() -> retry("cannot reach the scheduler at " + address + ": " + message(failed)));
            }
        });
    }

    /** On the retries thread: the next try after a back-off; the first failure in a row is logged as a warning. */
    private void retry(String why) {
        if (closed) {
            return;
        }
        if (!failureSaid) {
            LOG.warn("{}; the nanny tries again (its nanny plugins from the scheduler's depot come once it is reached)", why);
            failureSaid = true;
        } else {
            LOG.debug("{}", why);
        }
        long delay = nextDelay;
        nextDelay = Math.min(MAX_RETRY_MILLIS, nextDelay * 2);
        retries.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private static String message(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    private final class Handler implements LinkHandler {
        @Override
        public void received(Link from, List<Message> messages) {
            inbox.received(messages, from::send);
        }

        @Override
        public void closed(Link from, String reason) {
            if (link == from && !closed) {
                link = null;
                retries.execute(() -> retry("lost the link to the scheduler at " + address + " (" + reason + ")"));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Link open = link;
        if (open != null) {
            open.close("the nanny stops");
        }
        retries.shutdownNow();
        inbox.close();
        transport.close();
    }
}
