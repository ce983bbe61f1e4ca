package org.weft.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "local",
        mixinStandardHelpOptions = true,
        versionProvider = WeftVersion.class,
        description = {
            "Start a scheduler and workers in this JVM, with a console.",
            "",
            "The Gogo console reads stdin and writes stdout; Ctrl-D (end of input) or",
            "Ctrl-C stops Weft. When stdin is a pipe or a file, each line is run as a",
            "console command and Weft stops at the end of the input. With idleTimeoutMillis",
            "set in etc/org.weft.scheduler.cfg, Weft also stops (status 0) after that long",
            "with no task running and no client activity. A saved change to that file",
            "applies to the running scheduler (worker.resources and validate: next start).",
            "--preload runs on the scheduler (scheduler.preload.N in etc/preload.properties);",
            "options this command does not know go to it.",
            "The web dashboard and Prometheus /metrics are at http://127.0.0.1:8787/",
            "(--dashboard-address; the token for plugin management: data/dashboard-token).",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  weft local                              2 workers, console attached",
            "  weft local --workers 4 --threads 2",
            "  weft local --resources GPU=1,MEMORY=8e9  each worker offers one GPU",
            "  weft local --no-console                 runs until Ctrl-C or SIGTERM",
            "  weft local --dashboard-address 0.0.0.0:8787   dashboard for other machines too",
            "  printf 'weft:status\\nlb\\n' | weft local  run commands, print, stop",
            "  JAVA_OPTS=-Xmx8g weft local"})
final class LocalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Mixin
    private ConsoleOption console;

    @Mixin
    private PreloadOptions preload;

    /** Options this command does not know: they go to the preloads. */
    @Unmatched
    private List<String> preloadArguments = new ArrayList<>();

    @Mixin
    private DashboardOptions dashboard;

    @Override
    public Integer call() {
        String problem = cluster.problem();
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
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("weft.mode", "local");
        cluster.putInto(properties);
        preload.putInto(properties, preloads, "scheduler");
        dashboard.putInto(properties);
        dashboard.warnIfExposed();
        properties.put(ShellArgs.PROPERTY, console.shellArgs());
        return new FrameworkHost(WeftHome.fromSystemProperty(), properties, elapsed -> String.format(
                "Weft %s local cluster: %s%s, ready in %s. %s",
                WeftVersion.number(), cluster.describe(), preload.describe(preloads, "scheduler"),
                FrameworkHost.seconds(elapsed), console.hint())).run();
    }
}
