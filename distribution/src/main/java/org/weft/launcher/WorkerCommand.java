package org.weft.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "worker",
        mixinStandardHelpOptions = true,
        versionProvider = WeftVersion.class,
        description = {
            "Start a worker process that joins a scheduler over TCP, under a nanny.",
            "",
            "As 'dask worker' does, a nanny process starts the worker's JVM (same Java",
            "options and arguments), restarts it when it dies (after 1 s, doubling up to",
            "30 s; past --max-restarts deaths in a row, each within a minute of its start,",
            "it gives up and exits 1), restarts it at once when the scheduler restarts",
            "the cluster, restarts it past --memory-limit, and on SIGTERM or Ctrl-C",
            "retires the worker and exits 0. It ends as the worker does when the",
            "scheduler closes the worker (0) or the worker gives up on it (1). The",
            "console and plugins/ of the process you started are the nanny's; nanny",
            "plugins (NannyPlugin) run there, from there and from the scheduler's depot",
            "(sent to every nanny). --no-nanny runs the worker alone.",
            "",
            "The worker runs tasks with N threads and serves its results to the other",
            "workers on --host (a free port). It prints 'worker NAME at tcp://... joined",
            "tcp://...' on stdout once it joined. Each worker process keeps its own",
            "data/worker-PID/ (log in data/worker-PID/log/weft.log; a nanny's is",
            "data/nanny-PID/) and a bundle cache of data/caches/ that no other running",
            "process uses and the next worker reuses, so many can run from",
            "one installation. Anything beyond loopback needs the scheduler's token",
            "(--token-file or " + NetworkOptions.TOKEN_ENV + ") and TLS. Options it does not know go to its",
            "--preload, never to --preload-nanny.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  weft worker tcp://127.0.0.1:8786",
            "  weft worker tcp://127.0.0.1:8786 --memory-limit 4G --no-console",
            "  weft worker tcp://127.0.0.1:8786 --no-nanny",
            "  weft worker tcp://10.0.0.5:8786 --nthreads 8 --name gpu-1 --resources GPU=1 \\",
            "      --host 10.0.0.7 --no-console --token-file token.txt --tls-ca ca.pem \\",
            "      --tls-cert worker.pem --tls-key worker-key.pem",
            "  weft worker tcp://127.0.0.1:8786 --preload com.example.WorkerSetup --verbose"})
final class WorkerCommand implements Callable<Integer> {

    static final String LISTEN_HOST = "weft.listen.host";
    static final String LISTEN_PORT = "weft.listen.port";
    static final String SCHEDULER_ADDRESS = "weft.scheduler.address";
    static final String NAME = "weft.worker.name";
    static final String RECONNECT_TIMEOUT = "weft.worker.reconnectTimeoutMillis";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCHEDULER",
            description = "The scheduler's address, tcp://HOST:PORT, as its 'scheduler at' line prints it.")
    private String scheduler;

    @Option(names = "--nthreads", paramLabel = "N",
            description = "Threads that run tasks (default: the number of cores, here ${sys:weft.cores}).")
    private Integer threads;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The worker's name, as weft:workers and weft:retire use it (default: its own address, tcp://HOST:PORT).")
    private String name;

    @Option(names = "--resources", paramLabel = "NAME=QTY[,...]",
            description = "Abstract resources this worker offers, e.g. GPU=1,MEMORY=8e9: a task asking for some runs "
                    + "only where they are free; GPU=auto offers the GPUs the GPU plugin finds here (0 without a driver) "
                    + "(default: worker.resources in etc/org.weft.scheduler.cfg, none).")
    private String resources;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address other workers fetch this worker's results on, any free port; another "
                    + "machine's workers need an address they can reach (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--reconnect-timeout", paramLabel = "DURATION",
            description = "How long to keep trying to reach the scheduler, at start and after losing it, before "
                    + "the worker exits with status 1, e.g. 30s, 500ms, 5m (a bare number is seconds; default: 60s).")
    private String reconnectTimeout;

    @Option(names = "--no-nanny",
            description = "Run the worker in this process, without a nanny: nothing restarts it (default: under a nanny).")
    private boolean noNanny;

    @Option(names = "--memory-limit", paramLabel = "SIZE",
            description = "The nanny restarts the worker when its resident memory passes this: 4G, 1.5GiB, 800M "
                    + "(decimal unless KiB, MiB, GiB), 80%% (of this machine's memory), or none (default: none).")
    private String memoryLimit;

    @Option(names = "--max-restarts", paramLabel = "N",
            description = "The nanny gives up (exit status 1) when the worker died more than N times in a row, each "
                    + "within a minute of its start (default: ${DEFAULT-VALUE}; 0: never restart a dead worker).",
            defaultValue = "5")
    private int maxRestarts;

    @Mixin
    private ConsoleOption console;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private PreloadOptions preload;

    /** Options this command does not know: they go to the preloads. */
    @Unmatched
    private List<String> preloadArguments = new ArrayList<>();

    @Mixin
    private NannyPreloadOption nannyPreload;

    static {
        System.setProperty("weft.cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public Integer call() {
        Long reconnectMillis = null;
        String problem = NetworkValues.addressProblem("the scheduler address", scheduler);
        if (problem == null && threads != null && threads < 1) {
            problem = "--nthreads must be at least 1, was " + threads;
        }
        if (problem == null && name != null && (name.isBlank() || !name.strip().equals(name)
                || name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)))) {
            problem = "--name must be a word without spaces, e.g. worker-1; was '" + name + "'";
        }
        if (problem == null && resources != null) {
            problem = ClusterOptions.resourcesProblem(resources, true);
        }
        if (problem == null) {
            problem = NetworkValues.hostProblem(host);
        }
        if (problem == null && reconnectTimeout != null) {
            try {
                reconnectMillis = NetworkValues.durationMillis("--reconnect-timeout", reconnectTimeout);
                if (reconnectMillis < 1) {
                    problem = "--reconnect-timeout must be at least 1ms, was '" + reconnectTimeout + "'";
                }
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem == null) {
            problem = network.problem();
        }
        PreloadConfig preloads = PreloadConfig.forCommand(spec);
        if (problem == null) {
            problem = preload.problem(preloads, "worker", preloadArguments);
        }
        if (problem == null) {
            problem = nannyPreload.problem();
        }
        long memoryBytes = 0;
        if (problem == null && memoryLimit != null) {
            try {
                memoryBytes = MemoryLimit.parse(memoryLimit, MemoryLimit.machineBytes());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem == null && maxRestarts < 0) {
            problem = "--max-restarts must be at least 0, was " + maxRestarts;
        }
        if (problem == null && noNanny && memoryLimit != null) {
            problem = "--memory-limit needs the nanny (it restarts the worker past the limit): drop --no-nanny";
        }
        if (problem == null && noNanny && spec.commandLine().getParseResult().hasMatchedOption("--max-restarts")) {
            problem = "--max-restarts needs the nanny (it restarts the worker): drop --no-nanny";
        }
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        long nannyPid = NannyWatch.nannyPid();
        if (!noNanny && nannyPid < 0) {
            return runNanny(memoryBytes, preloads);
        }
        network.warnIfExposed(host);
        if (nannyPid < 0) {
            nannyPreload.warnWithoutNanny(preloads);
        }
        int nthreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("weft.mode", "worker");
        properties.put(SCHEDULER_ADDRESS, scheduler);
        properties.put("weft.threads", String.valueOf(nthreads));
        if (name != null) {
            properties.put(NAME, name);
        }
        if (resources != null) {
            properties.put("weft.resources", resources.trim());
        }
        properties.put(LISTEN_HOST, host);
        properties.put(LISTEN_PORT, "0");
        if (reconnectMillis != null) {
            properties.put(RECONNECT_TIMEOUT, String.valueOf(reconnectMillis));
        }
        network.putInto(properties);
        preload.putInto(properties, preloads, "worker"); // the nanny's own preloads run in the nanny process
        // under a nanny the console is the nanny's
        properties.put(ShellArgs.PROPERTY, nannyPid >= 0 ? ShellArgs.noConsole() : console.shellArgs());
        if (nannyPid >= 0) {
            properties.put(NannyWatch.PROPERTY, String.valueOf(nannyPid));
            NannyWatch.exitWhenGone(nannyPid);
        }
        WeftHome home = WorkerData.prepare(WeftHome.fromSystemProperty());
        ownCacheAndConfig(properties, home);
        return new FrameworkHost(home, properties, elapsed -> String.format(
                "Weft %s worker%s: %d threads%s, scheduler %s (%s%s), ready in %s. %s",
                WeftVersion.number(), name == null ? "" : " " + name, nthreads,
                resources == null ? "" : ", resources " + resources.trim(), scheduler, network.describe(),
                preload.describe(preloads, "worker"),
                FrameworkHost.seconds(elapsed), nannyPid >= 0 ? "Its nanny is process " + nannyPid + "." : console.hint()))
                .onlyRuntimeBundles().run();
    }

    /**
     * Many workers and nannies run from one installation: each its own bundle cache (a slot of
     * data/caches/ it holds, see {@link WorkerData}), a fresh one only when it has no slot; its
     * configurations in its own data folder, gone with it, as they were with a fresh cache.
     */
    private static void ownCacheAndConfig(Map<String, String> properties, WeftHome home) {
        properties.put("org.osgi.framework.storage", home.cache().toString());
        if (home.cacheFolder().equals(home.data())) {
            properties.put("org.osgi.framework.storage.clean", "onFirstInit");
        }
        properties.put("felix.cm.dir", home.data().resolve("config").toString());
    }

    /**
     * This process becomes the nanny ({@code weft.mode=nanny}, data/nanny-PID, the console if asked):
     * the nanny bundle starts the worker as this same command line in a JVM with the same options,
     * marked with {@code -Dweft.nanny.pid}.
     */
    private int runNanny(long memoryBytes, PreloadConfig preloads) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("weft.mode", "nanny");
        properties.put(SCHEDULER_ADDRESS, scheduler);
        if (name != null) {
            properties.put(NAME, name);
        }
        properties.put("weft.nanny.command", String.join("\n", workerCommand()));
        properties.put("weft.nanny.memoryLimit", String.valueOf(memoryBytes));
        properties.put("weft.nanny.maxRestarts", String.valueOf(maxRestarts));
        network.putInto(properties); // its link to the scheduler, where the depot's nanny plugins come from
        nannyPreload.putInto(properties, preloads); // --preload-nanny: set up in this nanny process
        properties.put(ShellArgs.PROPERTY, console.shellArgs());
        WeftHome home = WorkerData.prepare(WeftHome.fromSystemProperty(), WorkerData.NANNY_PREFIX);
        ownCacheAndConfig(properties, home);
        return new FrameworkHost(home, properties, elapsed -> String.format(
                "Weft %s nanny%s: scheduler %s, memory limit %s, at most %d restarts in a row, ready in %s. %s",
                WeftVersion.number(), name == null ? "" : " of worker " + name, scheduler,
                memoryLimit == null ? "none" : memoryLimit.trim(), maxRestarts, FrameworkHost.seconds(elapsed),
                console.hint())).exitZeroOnSignal().onlyRuntimeBundles().run();
    }

    /** This JVM's command line again, for the worker: same Java, JVM options, class path and arguments. */
    private static java.util.List<String> workerCommand() {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-D" + NannyWatch.PROPERTY + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(Main.arguments());
        return command;
    }
}
