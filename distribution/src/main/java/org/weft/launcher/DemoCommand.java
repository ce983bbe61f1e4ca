package org.weft.launcher;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = WeftVersion.class,
        description = {
            "Run the sample job end to end on a local cluster, then exit.",
            "",
            "Estimates pi by Monte Carlo: chunks are scheduled across the workers, with",
            "a progress bar, then the result is printed. No console. The exit status is",
            "the job's: 0 when it succeeded.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  weft demo",
            "  weft demo --chunks 200 --samples 1000    a quick run",
            "  weft demo --workers 8 --chunks 100000"})
final class DemoCommand implements Callable<Integer> {

    /** The start level of the Gogo shell's bundles. */
    private static final int SHELL_LEVEL = 6;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClusterOptions cluster;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "4000",
            description = "Number of tasks (default: ${DEFAULT-VALUE}).")
    private int chunks;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "20000",
            description = "Random samples per task (default: ${DEFAULT-VALUE}).")
    private int samples;

    @Override
    public Integer call() {
        String problem = cluster.problem();
        if (problem == null && (chunks < 1 || samples < 1)) {
            problem = "--chunks and --samples must be at least 1";
        }
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("weft.mode", "demo");
        cluster.putInto(properties);
        properties.put("weft.demo.chunks", String.valueOf(chunks));
        properties.put("weft.demo.samples", String.valueOf(samples));
        properties.put(ShellArgs.PROPERTY, ShellArgs.noConsole());
        // no console: the shell's bundles (bundle/6) stay unstarted, plugins (levels 3 and 5) run
        properties.put(FrameworkHost.BEGINNING_LEVEL, String.valueOf(SHELL_LEVEL - 1));
        return new FrameworkHost(WeftHome.fromSystemProperty(), properties, elapsed -> String.format(
                "Weft %s demo: %s, ready in %s. Running %d chunks x %d samples.",
                WeftVersion.number(), cluster.describe(), FrameworkHost.seconds(elapsed), chunks, samples)).run();
    }
}
