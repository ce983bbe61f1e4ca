package org.weft.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weft submit}: no framework. Runs the remote client from {@code lib/client/*.jar} in a
 * class loader of its own (parent: the JDK's platform loader, so nothing of the launcher leaks in)
 * and calls {@code org.weft.client.remote.SubmitMain.run(String[], PrintStream, PrintStream)}
 * with the arguments after {@code submit}, exiting with its status.
 */
@Command(name = "submit",
        mixinStandardHelpOptions = true,
        versionProvider = WeftVersion.class,
        description = {
            "Run a graph file on a running scheduler and print the wanted results.",
            "",
            "Connects to the scheduler as a client (no framework starts), submits the graph",
            "and prints each wanted key's result ('key = value'), the progress on stderr.",
            "The graph file's format is the one of weft:submit (README). Exit status: 0",
            "every wanted key finished; 1 a task failed, the graph was rejected, the",
            "connection was lost, the time ran out or a client preload failed; 2 a wrong",
            "command line or graph file; 3 the scheduler could not be reached or refused",
            "the client. The client runs the preloads of etc/preload.properties",
            "(client.preload.N) once connected.",
            "A scheduler beyond loopback needs its token (--token-file or " + NetworkOptions.TOKEN_ENV + ") and TLS.",
            "The same client is a library: put lib/client/*.jar on your program's class path.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  weft submit graph.json --scheduler tcp://127.0.0.1:8786",
            "  weft submit graph.json --scheduler tcp://10.0.0.5:8786 --token-file token.txt \\",
            "      --tls-ca ca.pem --timeout 10m"})
final class SubmitCommand implements Callable<Integer> {

    static final String MAIN_CLASS = "org.weft.client.remote.SubmitMain";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GRAPH.json", description = "The graph file to run.")
    private Path graph;

    @Option(names = "--scheduler", paramLabel = "tcp://HOST:PORT", required = true,
            description = "The scheduler's address, as its 'scheduler at' line prints it.")
    private String scheduler;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file whose first line is the scheduler's token (default: the environment variable "
                    + NetworkOptions.TOKEN_ENV + ", else none).")
    private Path tokenFile;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "PEM certificate(s) of the authority that signed the scheduler's certificate: "
                    + "connect with TLS (default: no TLS).")
    private Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate this client presents, for a scheduler that requires one; with --tls-key "
                    + "and --tls-ca.")
    private Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert.")
    private Path tlsKey;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Give up (exit status 1) when the results are not all there after this long, e.g. 30s, "
                    + "10m (a bare number is seconds; default: wait as long as it takes).")
    private String timeout;

    @Override
    public Integer call() {
        long timeoutMillis = 0;
        String problem = NetworkValues.addressProblem("--scheduler", scheduler);
        if (problem == null && !Files.isReadable(graph)) {
            problem = "GRAPH.json " + graph + ": no such readable file";
        }
        if (problem == null) {
            problem = unreadable("--token-file", tokenFile, "--tls-ca", tlsCa, "--tls-cert", tlsCertificate,
                    "--tls-key", tlsKey);
        }
        if (problem == null && (tlsCertificate == null) != (tlsKey == null)) {
            problem = "--tls-cert and --tls-key go together: give both or neither";
        }
        if (problem == null && tlsCertificate != null && tlsCa == null) {
            problem = "--tls-cert and --tls-key need --tls-ca";
        }
        if (problem == null && timeout != null) {
            try {
                timeoutMillis = NetworkValues.durationMillis("--timeout", timeout);
                if (timeoutMillis < 1) {
                    problem = "--timeout must be at least 1ms, was '" + timeout + "'";
                }
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        List<String> args = new ArrayList<>(List.of(graph.toString(), "--scheduler", scheduler));
        add(args, "--tls-ca", tlsCa);
        add(args, "--tls-cert", tlsCertificate);
        add(args, "--tls-key", tlsKey);
        if (timeout != null) {
            args.addAll(List.of("--timeout", timeoutMillis + "ms"));
        }
        // without --token-file the client takes WEFT_TOKEN itself (ClientOptions)
        add(args, "--token-file", tokenFile);
        PreloadConfig preloads = PreloadConfig.forCommand(spec);
        for (String preload : preloads.preloads("client")) {
            args.addAll(List.of("--preload", preload));
        }
        if (!preloads.preloads("client").isEmpty()) {
            args.addAll(List.of("--preload-argv", JsonText.lists(preloads.argv("client"))));
        }
        return run(WeftHome.fromSystemProperty().root().resolve("lib/client"), args.toArray(String[]::new),
                System.out, System.err);
    }

    private static void add(List<String> args, String option, Path file) {
        if (file != null) {
            args.addAll(List.of(option, file.toAbsolutePath().normalize().toString()));
        }
    }

    /** @return the first option of {@code optionsAndFiles} whose file is given but not readable, as a message */
    private static String unreadable(Object... optionsAndFiles) {
        for (int i = 0; i < optionsAndFiles.length; i += 2) {
            Path file = (Path) optionsAndFiles[i + 1];
            if (file != null && !Files.isReadable(file)) {
                return optionsAndFiles[i] + " " + file + ": no such readable file";
            }
        }
        return null;
    }

    /** Loads the client from the jars in {@code folder} and runs SubmitMain. */
    static int run(Path folder, String[] args, PrintStream out, PrintStream err) {
        List<URL> jars;
        try {
            jars = jars(folder);
        } catch (IOException e) {
            err.println("weft: cannot read the client's jars in " + folder + ": " + e.getMessage());
            return 1;
        }
        if (jars.isEmpty()) {
            err.println("weft: no client jars in " + folder + ": is this a complete Weft installation?");
            return 1;
        }
        // slf4j-simple in lib/client: only problems, on stderr, unless JAVA_OPTS says otherwise
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // never closed: the client's threads may still end after run returns; the JVM exits next
        URLClassLoader loader = new URLClassLoader("weft-client", jars.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        try {
            thread.setContextClassLoader(loader);
            Method main = loader.loadClass(MAIN_CLASS)
                    .getMethod("run", String[].class, PrintStream.class, PrintStream.class);
            Object status = main.invoke(null, args, out, err);
            return status instanceof Integer code ? code : 1;
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            err.println("weft: the client in " + folder + " has no " + MAIN_CLASS
                    + ".run(String[], PrintStream, PrintStream): " + e);
            return 1;
        } catch (InvocationTargetException e) {
            err.println("weft: submit failed: " + e.getCause());
            return 1;
        } finally {
            out.flush();
            err.flush();
            thread.setContextClassLoader(previous);
        }
    }

    private static List<URL> jars(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<URL> urls = new ArrayList<>();
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                try {
                    urls.add(jar.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IOException(e);
                }
            }
            return urls;
        }
    }
}
