package org.weft.preload;

import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.PreloadNode.Role;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerPlugin;

/**
 * The preloads of this process's scheduler, worker or nanny ({@code bin/weft ... --preload}, handed
 * over in the framework properties {@value PreloadSettings#PRELOAD} and
 * {@value PreloadSettings#PRELOAD_ARGV}; a nanny process's from {@value PreloadSettings#NANNY_PRELOAD}
 * and {@value PreloadSettings#NANNY_PRELOAD_ARGV}). Each role's mode switch sets them up before it
 * enables the node's components, and offers them as a service to the component that then starts
 * the plugins they added ({@link #startSchedulerPlugins}, {@link #startWorkerPlugins}) before the
 * node listens or joins. A preload that fails stops the process (exit status 1) with one error
 * naming it, and the node's components are never enabled: no port is opened, nothing is joined.
 */
public final class NodePreloads {

    private static final Logger LOG = LoggerFactory.getLogger(NodePreloads.class);

    private final IntConsumer exit;
    private final Preloads preloads;
    private final StartingNode node;
    /** Why a plugin the preloads added did not start: every later activation fails the same way. */
    private volatile String failure;

    /**
     * Starts a plugin a preload added on the node.
     *
     * @param <P> scheduler or worker plugin
     */
    @FunctionalInterface
    public interface Starter<P> {
        /** @return why it did not start, or null when it did */
        Throwable start(StartingNode.Added<P> added);
    }

    /** @param exit how the process is told to exit with a status (the launcher's); called when a preload fails */
    public NodePreloads(IntConsumer exit, Preloads preloads, StartingNode node) {
        this.exit = exit;
        this.preloads = preloads;
        this.node = node;
    }

    /**
     * Finds the preloads of this kind of process and runs their setup.
     *
     * @param schedulerAddress where the node's scheduler is (the address a scheduler will listen
     *        on, the one a worker joins, or in-process)
     * @param exit how the process is told to exit with a status
     * @return the preloads set up; null when one failed, after logging why and calling
     *         {@code exit} with status 1
     */
    public static NodePreloads setUp(BundleContext context, Role role, String schedulerAddress, IntConsumer exit) {
        StartingNode node = new StartingNode(role, schedulerAddress);
        boolean nanny = role == Role.NANNY;
        try {
            PreloadSettings settings = PreloadSettings.read(context::getProperty,
                    nanny ? PreloadSettings.NANNY_PRELOAD : PreloadSettings.PRELOAD,
                    nanny ? PreloadSettings.NANNY_PRELOAD_ARGV : PreloadSettings.PRELOAD_ARGV);
            Preloads preloads = Preloads.load(settings.preloads(), settings.argv(), new BundlePreloadLoader(context));
            preloads.setUp(node);
            return new NodePreloads(exit, preloads, node);
        } catch (PreloadException e) {
            stop(exit, role, e.getMessage());
            return null;
        }
    }

    /** Starts the scheduler plugins the preloads added; a plugin whose start fails stops the process. */
    public void startSchedulerPlugins(Starter<SchedulerPlugin> starter) {
        startEach(node.schedulerPlugins(), starter);
    }

    /** Sets up the worker plugins the preloads added; a plugin whose setup fails stops the process. */
    public void startWorkerPlugins(Starter<WorkerPlugin> starter) {
        startEach(node.workerPlugins(), starter);
    }

    private <P> void startEach(List<StartingNode.Added<P>> added, Starter<P> starter) {
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        for (StartingNode.Added<P> plugin : added) {
            Throwable cause = starter.start(plugin);
            if (cause != null) {
                preloads.tearDown();
                String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
                failure = stop(exit, node.role(), "preload " + plugin.preload().label() + ": its plugin '"
                        + plugin.options().name() + "' did not start: " + why);
                throw new IllegalStateException(failure);
            }
        }
    }

    /** The name {@code weft:plugins} gives as the bundle of a plugin a preload added. */
    public static String origin(StartingNode.Added<?> added) {
        return "(preload " + added.preload().label() + ")";
    }

    /** Runs the preloads' teardown, in reverse order. */
    public void tearDown() {
        preloads.tearDown();
    }

    /** @return what was logged */
    private static String stop(IntConsumer exit, Role role, String message) {
        String text = message + "; the " + role.name().toLowerCase(Locale.ROOT) + " does not start";
        LOG.error("{}", text);
        exit.accept(1);
        return text;
    }
}
