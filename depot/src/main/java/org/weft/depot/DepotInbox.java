package org.weft.depot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.protocol.BundleMessage;
import org.weft.protocol.Message;

/**
 * A worker's (or nanny's) inbox for what its scheduler sends: depot messages are handed to the
 * {@link BundleHost} on the thread {@code weft-depot}, and every message after one is held until
 * the bundle is installed (or failed), so a task the scheduler sent after a bundle runs after it,
 * without blocking the transport's thread. Other messages pass straight to {@code deliver}, in
 * order. Answers ({@code bundle-state}) go to {@code reply}.
 */
public final class DepotInbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DepotInbox.class);

    private final BundleHost host;
    private final Consumer<List<Message>> deliver;
    private final ExecutorService depotThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "weft-depot");
        t.setDaemon(true);
        return t;
    });
    private final ArrayDeque<Message> held = new ArrayDeque<>();
    /** Set while held messages are being worked through (by the depot thread or the one that found the inbox free). */
    private boolean busy;
    private volatile Runnable onSynced = () -> {
    };

    public DepotInbox(BundleHost host, Consumer<List<Message>> deliver) {
        this.host = host;
        this.deliver = deliver;
    }

    /**
     * Called on the depot thread each time a {@code depot-sync} has been worked through: every
     * bundle sent before it is installed (or failed) and those the depot no longer has are gone.
     */
    public void onSynced(Runnable listener) {
        this.onSynced = listener;
    }

    /** Messages from the scheduler, in the order they came; {@code reply} sends to the scheduler. */
    public void received(List<Message> messages, Consumer<Message> reply) {
        synchronized (held) {
            if (busy) {
                held.addAll(messages);
                return;
            }
            busy = true;
        }
        work(messages, reply);
    }

    /** Delivers up to the next depot message, which then runs on the depot thread; the rest waits. */
    private void work(List<Message> messages, Consumer<Message> reply) {
        List<Message> batch = messages;
        while (true) {
            int depotAt = indexOfDepotMessage(batch);
            if (depotAt < 0) {
                if (!batch.isEmpty()) {
                    deliver.accept(batch);
                }
                synchronized (held) {
                    if (held.isEmpty()) {
                        busy = false;
                        return;
                    }
                    batch = new ArrayList<>(held);
                    held.clear();
                }
                continue;
            }
            if (depotAt > 0) {
                deliver.accept(batch.subList(0, depotAt));
            }
            BundleMessage m = (BundleMessage) batch.get(depotAt);
            List<Message> rest = batch.subList(depotAt + 1, batch.size());
            synchronized (held) {
                List<Message> later = new ArrayList<>(rest);
                later.addAll(held);
                held.clear();
                held.addAll(later);
            }
            CompletableFuture.runAsync(() -> handle(m, reply), depotThread).whenComplete((done, error) -> {
                if (error != null) {
                    LOG.error("depot message {} failed", m, error);
                }
                List<Message> next;
                synchronized (held) {
                    next = new ArrayList<>(held);
                    held.clear();
                }
                work(next, reply);
            });
            return;
        }
    }

    private void handle(BundleMessage m, Consumer<Message> reply) {
        if (m instanceof BundleMessage.InstallBundle install) {
            reply.accept(host.install(install));
        } else if (m instanceof BundleMessage.UninstallBundle uninstall) {
            reply.accept(host.uninstall(uninstall.symbolicName()));
        } else if (m instanceof BundleMessage.DepotSync sync) {
            for (String name : host.installed()) {
                if (!sync.symbolicNames().contains(name)) {
                    LOG.info("depot bundle {} is no longer in the scheduler's depot: uninstalling it", name);
                    reply.accept(host.uninstall(name));
                }
            }
            onSynced.run();
        } else {
            LOG.warn("{} is not taken from a scheduler; ignored", m);
        }
    }

    private static int indexOfDepotMessage(List<Message> batch) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof BundleMessage) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        depotThread.shutdownNow();
    }
}
