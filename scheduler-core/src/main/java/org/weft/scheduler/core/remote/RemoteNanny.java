package org.weft.scheduler.core.remote;

import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.depot.DepotDistributor;
import org.weft.protocol.BundleMessage;
import org.weft.protocol.Link;
import org.weft.protocol.LinkHandler;
import org.weft.protocol.Message;

/**
 * The scheduler's side of one nanny's link: the depot sends it the bundles that provide nanny
 * plugins, and it answers for each ({@code bundle-state}); nothing else travels on it. A nanny is
 * known by the id it gave ({@code nannyId}), which its worker processes give too.
 */
final class RemoteNanny implements LinkHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteNanny.class);

    private final String id;
    private final String name;
    private final DepotDistributor depot;
    /** How the depot reaches this link (and knows it from a newer link of the same nanny). */
    private final Consumer<List<Message>> send;

    RemoteNanny(String id, String name, Link link, DepotDistributor depot) {
        this.id = id;
        this.name = name;
        this.depot = depot;
        this.send = link::send;
    }

    /** Sends it the depot's nanny plugins, right behind the welcome. */
    void joining() {
        if (depot != null) {
            depot.nannyJoining(id, name, send);
        }
    }

    @Override
    public void received(Link from, List<Message> messages) {
        for (Message m : messages) {
            if (m instanceof BundleMessage b && depot != null) {
                depot.received(id, b);
            }
        }
    }

    @Override
    public void closed(Link from, String reason) {
        LOG.info("{} ({}) disconnected: {}", name, id, reason);
        if (depot != null) {
            depot.workerLeft(id, send);
        }
    }
}
