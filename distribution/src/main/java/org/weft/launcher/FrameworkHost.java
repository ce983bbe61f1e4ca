package org.weft.launcher;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Runs the embedded framework from start to stop: logging, framework properties, the runtime
 * contract, bundle/ deployment, start, then waiting until the runtime, the shell or a signal
 * stops it.
 */
final class FrameworkHost {

    private static final Logger LOG = Logger.getLogger(FrameworkHost.class.getName());
    /** Longer than a nanny waits for its worker to retire (40 s). */
    private static final long STOP_TIMEOUT_MILLIS = 50_000;
    static final String BEGINNING_LEVEL = "org.osgi.framework.startlevel.beginning";
    /** Start level of ConfigAdmin and FileInstall: reached, and etc/ applied, before anything higher starts. */
    static final int CONFIG_LEVEL = 3;
    private static final long ETC_WAIT_MILLIS = 10_000;
    /**
     * Start level of Weft's own bundles: a scheduler process stops there until it listens (it
     * announces {@code scheduler at}), and starts the dashboard, Jetty and the shipped plugins
     * (bundle/5) and the shell after that, so they do not delay the workers' join.
     */
    static final int SERVING_LEVEL = 4;
    /** How long a scheduler process waits at {@link #SERVING_LEVEL} for its address before it goes on anyway. */
    private static final long SERVING_WAIT_MILLIS = 30_000;

    private final WeftHome home;
    private final Map<String, String> commandProperties;
    private final LongFunction<String> banner;
    private final AtomicBoolean finished = new AtomicBoolean();
    private boolean exitZeroOnSignal;
    private boolean onlyRuntimeBundles;
    private volatile RuntimeContract contract;

    /**
     * @param banner the ready line, given the milliseconds since the launcher started
     */
    FrameworkHost(WeftHome home, Map<String, String> commandProperties, LongFunction<String> banner) {
        this.home = home;
        this.commandProperties = commandProperties;
        this.banner = banner;
    }

    /**
     * A stop on SIGTERM or Ctrl-C that finished ends the JVM with the status the runtime asked for,
     * else 0, instead of the JVM's 143 (a nanny: SIGTERM retires its worker and is a clean end).
     */
    FrameworkHost exitZeroOnSignal() {
        this.exitZeroOnSignal = true;
        return this;
    }

    /**
     * The process starts with bundle/'s bundles only, as from a fresh cache, whatever its reused
     * cache still holds (a worker process or a nanny: its task functions and plugins come from its
     * scheduler at every start, its preloads from its command line).
     */
    FrameworkHost onlyRuntimeBundles() {
        this.onlyRuntimeBundles = true;
        return this;
    }

    /** @return the exit status */
    int run() {
        Map<String, String> properties;
        java.util.Optional<MovedInstallation> moved;
        try {
            home.prepare();
            LogSetup.configure(home);
            properties = FrameworkConfig.load(home, commandProperties);
            moved = FrameworkConfig.cacheFromElsewhere(home, properties, !onlyRuntimeBundles);
        } catch (IOException e) {
            return fail("cannot prepare " + home + ": " + e.getMessage());
        }
        LOG.info(() -> "Starting Weft " + WeftVersion.number() + " in " + home + " with " + NetworkOptions.redacted(commandProperties));

        int targetLevel = targetStartLevel(properties);
        Map<String, String> firstPhase = new java.util.HashMap<>(properties);
        firstPhase.put(BEGINNING_LEVEL, String.valueOf(Math.min(CONFIG_LEVEL, targetLevel)));
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework in lib/"))
                .newFramework(withFelixLog(firstPhase));
        try {
            framework.init();
        } catch (BundleException e) {
            return fail("cannot start the OSGi framework: " + e.getMessage()
                    + " (is another Weft running from " + home + "?)");
        }
        BundleContext system = framework.getBundleContext();
        // threads the framework starts from here on inherit it: lets JLine find its terminal providers
        Thread.currentThread().setContextClassLoader(
                new ConsoleClassLoader(system, FrameworkHost.class.getClassLoader()));
        StartupProblems problems = new StartupProblems();
        system.addFrameworkListener(problems);
        RuntimeContract contract = new RuntimeContract(framework, this::printBanner);
        this.contract = contract;
        contract.register(system);

        List<DeployedBundle> runtime;
        moved.ifPresent(m -> m.restore(system));
        try {
            runtime = new BundleDeployer(system, home.bundles(), home.cacheFolder().resolve("bundle-stamps.properties"), problems,
                    ModeBundles.leftOut(home.conf(), properties.get("weft.mode")),
                    ShellArgs.isNoConsole(properties.get(ShellArgs.PROPERTY)) ? ShellArgs.SHELL_BUNDLES : Set.of(),
                    onlyRuntimeBundles).deploy();
        } catch (IOException e) {
            contract.startFinished();
            stop(framework);
            return fail(e.getMessage());
        }
        Thread hook = new Thread(() -> stopOnSignal(framework), "weft-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PluginFolder plugins = null;
        // a worker process takes the cluster's plugins from the scheduler's depot, not from plugins/
        boolean workerProcess = "worker".equals(properties.getOrDefault("weft.mode", "").trim());
        try {
            if (!workerProcess) {
                plugins = new PluginFolder(system, home.plugins(), home.data().resolve("tmp"),
                        home.data().resolve("plugin-stamps.properties"));
                plugins.uninstallDeleted(); // deleted while Weft was down: never started again
            }
            framework.start();
            ShellInstall.register(system, home.data().resolve("tmp"));
            // configuration first: FileInstall (level 3) turns etc/*.cfg into configurations, then
            // plugins/ (level 3 too), then the rest starts
            EtcConfigWait.await(system, home.etc(), ETC_WAIT_MILLIS);
            if (plugins != null) {
                plugins.scanNow();
                plugins.watch(pollMillis(properties));
            } else {
                LOG.info(() -> "plugins/ is not read by a worker process: it gets the cluster's task functions and "
                        + "worker plugins from the scheduler's depot");
            }
            if ("scheduler".equals(properties.getOrDefault("weft.mode", "").trim()) && targetLevel > SERVING_LEVEL) {
                raiseStartLevel(framework, SERVING_LEVEL);
                awaitServing(contract);
            }
            raiseStartLevel(framework, targetLevel);
        } catch (BundleException | IOException e) {
            contract.startFinished();
            stop(framework);
            return fail("cannot start the OSGi framework: " + e.getMessage());
        }

        List<String> fatal = problems.check(runtime, targetLevel, framework.getState() == Bundle.ACTIVE);
        contract.startFinished();
        if (!fatal.isEmpty()) {
            System.err.println("weft: Weft cannot run without its bundles (" + fatal.size()
                    + " not active); stopping. Details in " + home.log().resolve("weft.log"));
            stop(framework);
        } else {
            LOG.info(() -> "Framework started, " + runtime.size() + " runtime bundles, in " + Main.elapsedMillis()
                    + " ms" + (contract.isReady() ? "" : "; waiting for the runtime to report ready"));
        }

        awaitStop(framework, 0);
        if (plugins != null) {
            plugins.close();
        }
        removeHook(hook);
        finish();
        return !fatal.isEmpty() ? 1 : contract.requestedExit().orElse(0);
    }

    /** A scheduler process: waits until it listens (or gave up) before the rest of bundle/ starts. */
    private static void awaitServing(RuntimeContract contract) {
        try {
            if (!contract.awaitAnnounced(SERVING_WAIT_MILLIS)) {
                LOG.info(() -> "The scheduler did not announce its address at start level " + SERVING_LEVEL
                        + "; starting the other bundles anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long pollMillis(Map<String, String> properties) {
        String value = properties.getOrDefault(PluginFolder.POLL_PROPERTY, "1000");
        try {
            return Math.max(50, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            LOG.warning(() -> PluginFolder.POLL_PROPERTY + "=" + value + " is not a number of milliseconds; using 1000");
            return 1000;
        }
    }

    private static int targetStartLevel(Map<String, String> properties) {
        String value = properties.getOrDefault(BEGINNING_LEVEL, "1");
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            LOG.warning(() -> BEGINNING_LEVEL + "=" + value + " is not a number; using 6");
            return 6;
        }
    }

    /** Raises the framework to {@code level} and waits until every bundle up to it was started. */
    private static void raiseStartLevel(Framework framework, int level) {
        org.osgi.framework.startlevel.FrameworkStartLevel startLevel =
                framework.adapt(org.osgi.framework.startlevel.FrameworkStartLevel.class);
        if (startLevel.getStartLevel() >= level) {
            return;
        }
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        startLevel.setStartLevel(level, event -> reached.countDown());
        try {
            // a short run (weft demo) may finish and stop the framework before the last level is reached
            while (!reached.await(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Felix takes its logger as an object-valued property (felix.log.logger, a Felix Logger that
     * forwards to {@link FelixLog}); the factory's signature says String, Felix reads Objects.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, String> withFelixLog(Map<String, String> properties) {
        org.apache.felix.framework.Logger logger = new org.apache.felix.framework.Logger();
        logger.setLogger(new FelixLog());
        Map raw = new java.util.HashMap<>(properties);
        raw.put("felix.log.logger", logger);
        return raw;
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private void printBanner() {
        String line = banner.apply(Main.elapsedMillis());
        LOG.info(line);
        System.out.println(line);
        System.out.flush();
    }

    /** Ctrl-C, SIGTERM, or System.exit while running: stop the bundles cleanly first. */
    private void stopOnSignal(Framework framework) {
        boolean stopped = true;
        if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            LOG.info("Stopping Weft (JVM shutdown)");
            stop(framework);
            stopped = awaitStop(framework, STOP_TIMEOUT_MILLIS);
            if (!stopped) {
                LOG.warning("The framework did not stop within " + STOP_TIMEOUT_MILLIS / 1000 + " s");
            }
        }
        finish();
        RuntimeContract runtime = contract;
        if (exitZeroOnSignal && stopped && runtime != null) {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(runtime.requestedExit().orElse(0));
        }
    }

    /**
     * Logs the last line once and closes the log (see {@link DeferredResetLogManager}). Synchronized:
     * on SIGTERM the main thread and the shutdown hook both get here, and the hook halts the JVM
     * right after; it must wait until the other has written the line.
     */
    private synchronized void finish() {
        if (finished.compareAndSet(false, true)) {
            LOG.info("Weft stopped");
            DeferredResetLogManager.resetNow();
        }
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
        } catch (BundleException e) {
            LOG.log(Level.SEVERE, "Cannot stop the framework", e);
        }
    }

    /** @return false when it timed out */
    private static boolean awaitStop(Framework framework, long timeoutMillis) {
        try {
            return framework.waitForStop(timeoutMillis).getType() != FrameworkEvent.WAIT_TIMEDOUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running and finishes the stop itself
        }
    }

    private static int fail(String message) {
        LOG.severe(message);
        System.err.println("weft: " + message);
        return 1;
    }
}
