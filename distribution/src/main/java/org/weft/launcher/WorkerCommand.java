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
            "Start a worker process that joins a scheduler over TCP.",
            "",
            "The worker runs tasks with N threads and serves its results to the other",
            "workers on --host (a free port). It prints 'worker NAME at tcp://... joined",
            "tcp://...' on stdout once it joined. Each worker process keeps its own",
            "data/worker-PID/ (log in data/worker-PID/log/weft.log; the bundle cache is",
            "fresh at every start), so many can run from one installation. Anything",
            "beyond loopback needs the scheduler's token (--token-file or " + NetworkOptions.TOKEN_ENV + ")",
            "and TLS. Options it does not know go to its --preload, never to --preload-nanny.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  weft worker tcp://127.0.0.1:8786",
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
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        network.warnIfExposed(host);
        nannyPreload.warnWithoutNanny(preloads);
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
        preload.putInto(properties, preloads, "worker");
        nannyPreload.putInto(properties, preloads);
        properties.put(ShellArgs.PROPERTY, console.shellArgs());
        // a fresh bundle cache per worker process: many workers run from one installation
        properties.put("org.osgi.framework.storage.clean", "onFirstInit");
        WeftHome installation = WeftHome.fromSystemProperty();
        WeftHome home = WorkerData.prepare(installation);
        return new FrameworkHost(home, properties, elapsed -> String.format(
                "Weft %s worker%s: %d threads%s, scheduler %s (%s%s), ready in %s. %s",
                WeftVersion.number(), name == null ? "" : " " + name, nthreads,
                resources == null ? "" : ", resources " + resources.trim(), scheduler, network.describe(),
                preload.describe(preloads, "worker"),
                FrameworkHost.seconds(elapsed), console.hint())).run();
    }
}
