package org.weft.nanny;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.comm.netty.TransportConfig;
import org.weft.depot.osgi.FrameworkBundleHost;
import org.weft.plugin.api.NannyPlugin;
import org.weft.plugin.api.PluginProperties;
import org.weft.protocol.Handshake;
import org.weft.protocol.Role;

/**
 * The nanny of a worker process ({@code bin/weft worker}, {@code weft.mode=nanny}; enabled by
 * {@link NannyModeSwitch}): a {@link WorkerSupervisor} running the worker's command line from
 * {@value #COMMAND}, and the {@link NannyPlugin} services of this framework. The plugins present
 * at start are set up before the first worker starts. Stopping the framework (SIGTERM, Ctrl-C)
 * tears the plugins down, then stops the worker (it retires) and waits for it.
 *
 * <p>Framework properties (set by the launcher): {@value #COMMAND} (the worker's command line, one
 * argument a line), {@code weft.worker.name}, {@code weft.scheduler.address}, {@value #MEMORY_LIMIT}
 * (bytes, 0: none), {@value #MAX_RESTARTS}, {@value #MEMORY_POLL} (ms, default 200),
 * {@value #STOP_MILLIS} (ms a worker may take to retire, default 40 000).
 *
 * <p>Bundles reach the nanny's framework like any other (its {@code plugins/} folder, its shell's
 * {@code install}), and from the scheduler's depot: the nanny keeps a link to the scheduler
 * ({@link SchedulerLink}) on which the depot's bundles that provide nanny plugins arrive, and waits
 * up to {@value #FIRST_SYNC_SECONDS} s for them before it starts the first worker (not at all when
 * the scheduler cannot be reached), so those are set up first as the plugins of its own framework are.
 */
@Component(enabled = false, immediate = true, service = NannyComponent.class)
public final class NannyComponent {

    private static final Logger LOG = LoggerFactory.getLogger(NannyComponent.class);
    static final String COMMAND = "weft.nanny.command";
    static final String MEMORY_LIMIT = "weft.nanny.memoryLimit";
    static final String MAX_RESTARTS = "weft.nanny.maxRestarts";
    static final String MEMORY_POLL = "weft.nanny.memoryPollMillis";
    static final String STOP_MILLIS = "weft.nanny.stopMillis";
    /** How long the first worker waits for the nanny plugins of the scheduler's depot. */
    static final int FIRST_SYNC_SECONDS = 20;

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weft-nanny");
        t.setDaemon(true);
        return t;
    });
    /** Plugins bound before activation, set up when it comes. */
    private final List<Runnable> early = new ArrayList<>();
    private WorkerSupervisor supervisor;
    private NannyPlugins plugins;
    private boolean active;
    /** Null when the nanny knows no scheduler address. */
    private SchedulerLink link;

    @Activate
    void activate(BundleContext context) {
        WorkerSupervisor.Settings settings = settings(context);
        supervisor = new WorkerSupervisor(settings, loop, new WorkerSupervisor.Reports() {
            @Override
            public void announce(String line) {
                LauncherCalls.announce(context, line);
            }

            @Override
            public void finished(int status, String why) {
                if (status != 0) {
                    LOG.error("nanny ends with status {}: {}", status, why);
                    synchronized (System.err) {
                        System.err.println("weft: nanny: " + why);
                        System.err.flush();
                    }
                } else {
                    LOG.info("nanny ends: {}", why);
                }
                LauncherCalls.exit(context, status);
            }
        });
        plugins = new NannyPlugins(supervisor, name -> {
            if (supervisor.started()) {
                supervisor.restartWorker("nanny plugin '" + name + "' asks for a restart after its setup");
            }
        });
        List<Runnable> pending;
        synchronized (early) {
            active = true;
            pending = new ArrayList<>(early);
            early.clear();
        }
        pending.forEach(loop::execute);
        LOG.info("nanny {} for worker {} of {}: memory limit {}, at most {} restarts in a row", settings.nannyId(),
                settings.workerName() == null ? "(unnamed)" : settings.workerName(), settings.schedulerAddress(),
                settings.memoryLimit() > 0 ? ProcessMemory.describe(settings.memoryLimit()) : "none", settings.maxRestarts());
        CompletableFuture<Void> depot = CompletableFuture.completedFuture(null);
        if (settings.schedulerAddress() != null && !settings.schedulerAddress().isBlank()) {
            link = new SchedulerLink(settings.schedulerAddress().trim(), TransportConfig.fromProperties(context::getProperty),
                    hello(settings), new FrameworkBundleHost(context));
            link.start();
            depot = link.firstSync().completeOnTimeout(null, FIRST_SYNC_SECONDS, TimeUnit.SECONDS);
        }
        // the depot's plugins were bound (their setup queued on the loop) by the time it is synced
        depot.thenRun(() -> {
            supervisor.start();
            loop.execute(() -> LauncherCalls.ready(context));
        });
    }

    private static Handshake.Hello hello(WorkerSupervisor.Settings settings) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("nannyId", settings.nannyId());
        info.put("pid", ProcessHandle.current().pid());
        return new Handshake.Hello(Handshake.VERSION, Role.NANNY, settings.workerName(), null, info);
    }

    private static WorkerSupervisor.Settings settings(BundleContext context) {
        String command = context.getProperty(COMMAND);
        if (command == null || command.isBlank()) {
            throw new IllegalStateException("a nanny needs the worker's command line in " + COMMAND + " (bin/weft worker sets it)");
        }
        return new WorkerSupervisor.Settings(List.of(command.split("\n")), context.getProperty("weft.worker.name"),
                context.getProperty("weft.scheduler.address"), number(context, MEMORY_LIMIT, 0),
                (int) number(context, MAX_RESTARTS, 5), Math.max(10, number(context, MEMORY_POLL, 200)),
                Math.max(1, number(context, STOP_MILLIS, 40_000)),
                "nanny-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static long number(BundleContext context, String key, long fallback) {
        String value = context.getProperty(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            LOG.warn("{}={} is not a number; using {}", key, value, fallback);
            return fallback;
        }
    }

    // ---------------------------------------------------------------- nanny plugins

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindNannyPlugin(NannyPlugin plugin, Map<String, Object> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        String name = name(plugin, properties.get(PluginProperties.NAME));
        boolean idempotent = Boolean.parseBoolean(String.valueOf(properties.get(PluginProperties.IDEMPOTENT)));
        onLoop(() -> plugins.add(id, name, idempotent, plugin));
    }

    void unbindNannyPlugin(NannyPlugin plugin, Map<String, Object> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        onLoop(() -> plugins.remove(id));
    }

    private static String name(NannyPlugin plugin, Object property) {
        if (property instanceof String s && !s.isBlank()) {
            return s;
        }
        return plugin.getClass().getSimpleName() + "-" + UUID.randomUUID();
    }

    private void onLoop(Runnable work) {
        synchronized (early) {
            if (!active) {
                early.add(work);
                return;
            }
        }
        loop.execute(work);
    }

    /** Tears the plugins down (as Dask's nanny does, before its worker), then stops the worker and waits for it. */
    @Deactivate
    void deactivate() {
        if (link != null) {
            link.close(); // no more bundles from the depot meanwhile
        }
        try {
            loop.submit(plugins::teardownAll).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("tearing down the nanny plugins failed or took too long: {}", e.toString());
        }
        supervisor.stop();
        loop.shutdownNow();
    }
}
