package org.weft.plugin.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node a {@link Preload} prepares: a small view of a scheduler, worker, nanny or client that
 * has not opened any connection yet.
 *
 * @since 1.3
 */
@ProviderType
public interface PreloadNode {

    /** The kinds of node a preload runs on. */
    enum Role {
        /** {@code bin/weft scheduler}, and the scheduler of {@code bin/weft local}. */
        SCHEDULER,
        /** {@code bin/weft worker}. */
        WORKER,
        /** The nanny that supervises a worker process. */
        NANNY,
        /** A client, given its preloads in its options. */
        CLIENT
    }

    /** Which kind of node this is. */
    Role role();

    /**
     * The scheduler's address: the one a scheduler will listen on ({@code tcp://HOST:PORT}, the
     * port 0 when any free port is asked for; {@code inproc://...} for {@code bin/weft local}),
     * or the one a worker, nanny or client joins.
     */
    String schedulerAddress();

    /**
     * Adds a scheduler plugin, started before the scheduler listens (a scheduler's preload only).
     *
     * @throws IllegalStateException on any other node
     */
    void addPlugin(SchedulerPlugin plugin, PluginOptions options);

    /**
     * Adds a worker plugin, set up before the worker joins its scheduler (a worker's preload only).
     *
     * @throws IllegalStateException on any other node
     */
    void addPlugin(WorkerPlugin plugin, PluginOptions options);

    /**
     * The node's own object of {@code type}, where it offers one: a client's preload gets its
     * {@code org.weft.client.Client}. Empty for any other type.
     */
    default <T> Optional<T> adapt(Class<T> type) {
        return Optional.empty();
    }
}
