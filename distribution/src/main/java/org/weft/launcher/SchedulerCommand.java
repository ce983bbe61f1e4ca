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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "scheduler",
        mixinStandardHelpOptions = true,
        versionProvider = WeftVersion.class,
        description = {
            "Start a scheduler that workers and clients reach over TCP.",
            "",
            "Runs as 'weft local' does (etc/, plugins/, the console, data/) but with no",
            "workers of its own: start them with 'weft worker tcp://HOST:PORT'. Once it",
            "listens it prints 'scheduler at tcp://HOST:PORT' on stdout, then starts the",
            "dashboard, the shipped plugins and the console. Anything beyond",
            "loopback needs a token (--token-file or " + NetworkOptions.TOKEN_ENV + ") and TLS: the",
            "same token and certificate authority for the scheduler, its workers and clients.",
            "Options it does not know go to its --preload (e.g. --print-count).",
            "The web dashboard and Prometheus /metrics are at http://127.0.0.1:8787/",
            "(--dashboard-address); managing plugins there asks for the same token.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  weft scheduler                        127.0.0.1:8786, console attached",
            "  weft scheduler --port 0 --no-console  any free port, until Ctrl-C/SIGTERM",
            "  weft scheduler --no-dashboard         no web dashboard, no /metrics",
            "  weft scheduler --host 0.0.0.0 --token-file token.txt \\",
            "      --tls-cert cert.pem --tls-key key.pem --tls-ca ca.pem",
            "  weft scheduler --preload examples/print-workers.jar --print-count",
            "  weft scheduler --preload 'System.setProperty(\"A\", \"b\");'"})
final class SchedulerCommand implements Callable<Integer> {

    static final int DEFAULT_PORT = 8786;

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}, this machine only).")
    private String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
            description = "TCP port to listen on; 0 for any free port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Mixin
    private ConsoleOption console;

    @Mixin
    private DashboardOptions dashboard;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private PreloadOptions preload;

    /** Options this command does not know: they go to the preloads. */
    @Unmatched
    private List<String> preloadArguments = new ArrayList<>();

    @Override
    public Integer call() {
        String problem = NetworkValues.hostProblem(host);
        if (problem == null && (port < 0 || port > 65535)) {
            problem = "--port must be from 0 (any free port) to 65535, was " + port;
        }
        if (problem == null) {
            problem = network.problem();
        }
        PreloadConfig preloads = PreloadConfig.forCommand(spec);
        if (problem == null) {
            problem = preload.problem(preloads, "scheduler", preloadArguments);
        }
        if (problem == null) {
            problem = dashboard.problem();
        }
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        network.warnIfExposed(host);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("weft.mode", "scheduler");
        properties.put(WorkerCommand.LISTEN_HOST, host);
        properties.put(WorkerCommand.LISTEN_PORT, String.valueOf(port));
        network.putInto(properties);
        preload.putInto(properties, preloads, "scheduler");
        dashboard.putInto(properties);
        dashboard.warnIfExposed();
        properties.put(ShellArgs.PROPERTY, console.shellArgs());
        return new FrameworkHost(WeftHome.fromSystemProperty(), properties, elapsed -> String.format(
                "Weft %s scheduler (%s%s), ready in %s. %s",
                WeftVersion.number(), network.describe(), preload.describe(preloads, "scheduler"),
                FrameworkHost.seconds(elapsed), console.hint())).run();
    }
}
