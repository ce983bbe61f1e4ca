package org.weft.scheduler.core.osgi;

import java.util.List;
import java.util.concurrent.CompletionException;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.PreloadNode.Role;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerPlugin;
import org.weft.pluginhost.PluginOrigin;
import org.weft.preload.BundlePreloadLoader;
import org.weft.preload.PreloadException;
import org.weft.preload.PreloadSettings;
import org.weft.preload.Preloads;
import org.weft.preload.StartingNode;
import org.weft.scheduler.core.cluster.SchedulerNode;
import org.weft.worker.WorkerPluginFactory;
import org.weft.worker.WorkerPluginOutcome;

/**
 * The preloads of this process's scheduler or worker ({@code bin/weft ... --preload}, handed over
 * in the framework properties {@value PreloadSettings#PRELOAD} and
 * {@value PreloadSettings#PRELOAD_ARGV}; a nanny process's from {@value PreloadSettings#NANNY_PRELOAD}
 * and {@value PreloadSettings#NANNY_PRELOAD_ARGV}). {@link ModeSwitch} sets them up before it enables the
 * node's components, and offers them as a service to the component that then registers the
 * plugins they added ({@link LocalClusterComponent}, {@link WorkerProcessComponent}) before the
 * node listens or joins. A preload that fails stops the process (exit status 1) with one error
 * naming it, and the node's components are never enabled: no port is opened, nothing is joined.
 */
public final class NodePreloads {

    private static final Logger LOG = LoggerFactory.getLogger(NodePreloads.class);

    private final BundleContext context;
    private final Preloads preloads;
    private final StartingNode node;
    /** Why a plugin the preloads added did not start: every later activation fails the same way. */
    private volatile String failure;

    /** @param context null outside a framework (tests): then no launcher is told to exit */
    NodePreloads(BundleContext context, Preloads preloads, StartingNode node) {
        this.context = context;
        this.preloads = preloads;
        this.node = node;
    }

    /**
     * Finds the preloads of this kind of process and runs their setup.
     *
     * @param mode the process kind ({@link ModeSwitch#MODE})
     * @return the preloads set up; null when one failed, after logging why and telling the
     *         launcher to exit with status 1
     */
    static NodePreloads setUp(BundleContext context, String mode) {
        Role role = switch (mode) {
            case "worker" -> Role.WORKER;
            case "nanny" -> Role.NANNY;
            default -> Role.SCHEDULER;
        };
        StartingNode node = new StartingNode(role, schedulerAddress(context, mode));
        boolean nanny = role == Role.NANNY;
        try {
            PreloadSettings settings = PreloadSettings.read(context::getProperty,
                    nanny ? PreloadSettings.NANNY_PRELOAD : PreloadSettings.PRELOAD,
                    nanny ? PreloadSettings.NANNY_PRELOAD_ARGV : PreloadSettings.PRELOAD_ARGV);
            Preloads preloads = Preloads.load(settings.preloads(), settings.argv(), new BundlePreloadLoader(context));
            preloads.setUp(node);
            return new NodePreloads(context, preloads, node);
        } catch (PreloadException e) {
            stop(context, role, e.getMessage());
            return null;
        }
    }

    /** Where the scheduler is: the address a scheduler process will listen on, the one a worker joins, or in-process. */
    private static String schedulerAddress(BundleContext context, String mode) {
        return switch (mode) {
            case "worker", "nanny" -> String.valueOf(context.getProperty("weft.scheduler.address")).trim();
            case "scheduler" -> "tcp://" + TransportSettings.host(context) + ":"
                    + TransportSettings.port(context, SchedulerServerComponent.DEFAULT_PORT);
            default -> org.weft.scheduler.core.cluster.LocalCluster.ADDRESS;
        };
    }

    /** Starts the scheduler plugins the preloads added; a plugin whose start throws stops the process. */
    void registerOn(SchedulerNode scheduler) {
        failIfFailedBefore();
        for (StartingNode.Added<SchedulerPlugin> added : node.schedulerPlugins()) {
            try {
                scheduler.addPlugin(added.plugin(), added.options(), origin(added)).join();
            } catch (CompletionException e) {
                throw failed(added, e.getCause() == null ? e : e.getCause());
            }
        }
    }

    /** Sets up the worker plugins the preloads added on this process's one worker. */
    void registerOn(java.util.function.Function<WorkerPluginFactory, java.util.concurrent.CompletableFuture<List<WorkerPluginOutcome>>> worker) {
        failIfFailedBefore();
        for (StartingNode.Added<WorkerPlugin> added : node.workerPlugins()) {
            WorkerPluginFactory factory = new WorkerPluginFactory() {
                @Override
                public PluginOptions options() {
                    return added.options();
                }

                @Override
                public PluginOrigin origin() {
                    return NodePreloads.origin(added);
                }

                @Override
                public WorkerPlugin create() {
                    return added.plugin();
                }
            };
            for (WorkerPluginOutcome outcome : worker.apply(factory).join()) {
                if (outcome.failed()) {
                    throw failed(added, outcome.error());
                }
            }
        }
    }

    private static PluginOrigin origin(StartingNode.Added<?> added) {
        return new PluginOrigin("(preload " + added.preload().label() + ")", "", -1);
    }

    private void failIfFailedBefore() {
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private IllegalStateException failed(StartingNode.Added<?> added, Throwable cause) {
        preloads.tearDown();
        String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        failure = stop(context, node.role(), "preload " + added.preload().label() + ": its plugin '"
                + added.options().name() + "' did not start: " + why);
        return new IllegalStateException(failure);
    }

    /** Runs the preloads' teardown, in reverse order. */
    void tearDown() {
        preloads.tearDown();
    }

    /** @return what was logged */
    private static String stop(BundleContext context, Role role, String message) {
        String text = message + "; the " + role.name().toLowerCase(java.util.Locale.ROOT) + " does not start";
        LOG.error("{}", text);
        if (context != null) {
            LauncherSignals.exit(context, 1);
        }
        return text;
    }
}
