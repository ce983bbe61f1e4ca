package org.weft.launcher;

import java.util.concurrent.TimeUnit;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/weft}: parses the command line and hands over to a subcommand. Started by the
 * {@code bin/weft} script with {@code -Dweft.home} and {@code lib/*} as the class path.
 */
@Command(name = "weft",
        mixinStandardHelpOptions = true,
        versionProvider = WeftVersion.class,
        description = "Weft, a dynamic task scheduler for the JVM in the manner of Dask distributed.",
        subcommands = {LocalCommand.class, DemoCommand.class, SchedulerCommand.class, WorkerCommand.class,
            SubmitCommand.class, UploadCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  weft local                         scheduler + 2 workers, with a console",
            "  weft local --workers 4 --no-console",
            "  weft demo --chunks 200             a short run of the sample job",
            "  weft scheduler                     a scheduler on tcp://127.0.0.1:8786",
            "  weft worker tcp://127.0.0.1:8786   a worker process joining it (under a nanny)",
            "  weft submit graph.json --scheduler tcp://127.0.0.1:8786",
            "  weft upload plugin.jar --scheduler tcp://127.0.0.1:8786   to every worker",
            "  printf 'weft:status\\n' | weft local  run console commands, then stop",
            "  weft help local                    options of one command",
            "",
            "Beyond loopback, scheduler, workers and clients need a token (--token-file",
            "or WEFT_TOKEN) and TLS (--tls-cert, --tls-key, --tls-ca): see their --help.",
            "",
            "Environment: JAVA_HOME (the Java to use), JAVA_OPTS (extra JVM options; the",
            "parallel garbage collector with half the heap young unless they name",
            "another collector, e.g. -XX:+UseG1GC, or a young size, e.g. -Xmn2g),",
            "WEFT_TOKEN (the cluster token), WEFT_DASHBOARD_ADDRESS (the default of",
            "--dashboard-address).",
            "Files: conf/ (framework, logging), etc/ (live configuration),",
            "plugins/ (hot deploy), data/log/weft.log. See README.txt."})
public final class Main implements Runnable {

    /** When the launcher started, for the "ready in" figure of the banner. */
    static final long STARTED_NANOS = System.nanoTime();

    /** The command line as given: a nanny starts its worker with the same arguments. */
    private static volatile String[] arguments = new String[0];

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        arguments = args.clone();
        LogSetup.selectLogManager();
        int code = commandLine(args).execute(args);
        System.exit(code);
    }

    /**
     * The command line's model. Picocli reads the annotations of every command it is given through
     * reflection (about 0.2 s of CPU per JVM): a process started as {@code scheduler}, {@code worker}
     * or {@code local} gets a model of {@code weft} with that command only, which parses, helps and
     * fails alike; anything else (no command, {@code help}, a mistyped one) the whole model.
     */
    static CommandLine commandLine(String[] args) {
        Object only = args.length == 0 ? null : switch (args[0]) {
            case "scheduler" -> new SchedulerCommand();
            case "worker" -> new WorkerCommand();
            case "local" -> new LocalCommand();
            default -> null;
        };
        return only == null ? new CommandLine(new Main()) : new CommandLine(new Weft()).addSubcommand(args[0], only);
    }

    /** {@code weft} itself without its commands, for {@link #commandLine}. */
    @Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = WeftVersion.class)
    static final class Weft implements Runnable {

        @Override
        public void run() {
            // never run: the command given is
        }
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: local, demo, scheduler, worker or submit");
    }

    /** The arguments this launcher was started with, as given. */
    static java.util.List<String> arguments() {
        return java.util.List.of(arguments);
    }

    static long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - STARTED_NANOS);
    }
}
