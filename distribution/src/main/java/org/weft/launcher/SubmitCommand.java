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
import picocli.CommandLine.Mixin;
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

    @Mixin
    private ClientConnectionOptions connection;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Give up (exit status 1) when the results are not all there after this long, e.g. 30s, "
                    + "10m (a bare number is seconds; default: wait as long as it takes).")
    private String timeout;

    @Override
    public Integer call() {
        long timeoutMillis = 0;
        String problem = connection.problem();
        if (problem == null && !Files.isReadable(graph)) {
            problem = "GRAPH.json " + graph + ": no such readable file";
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
        List<String> args = new ArrayList<>(List.of(graph.toString()));
        connection.addTo(args);
        if (timeout != null) {
            args.addAll(List.of("--timeout", timeoutMillis + "ms"));
        }
        connection.addTokenTo(args);
        PreloadConfig preloads = PreloadConfig.forCommand(spec);
        for (String preload : preloads.preloads("client")) {
            args.addAll(List.of("--preload", preload));
        }
        if (!preloads.preloads("client").isEmpty()) {
            args.addAll(List.of("--preload-argv", JsonText.lists(preloads.argv("client"))));
        }
        return run(WeftHome.fromSystemProperty().root().resolve("lib/client"), MAIN_CLASS, args.toArray(String[]::new),
                System.out, System.err);
    }

    /** Loads the client from the jars in {@code folder} and runs {@code mainClass}'s {@code run(String[], PrintStream, PrintStream)}. */
    static int run(Path folder, String mainClass, String[] args, PrintStream out, PrintStream err) {
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
            Method main = loader.loadClass(mainClass)
                    .getMethod("run", String[].class, PrintStream.class, PrintStream.class);
            Object status = main.invoke(null, args, out, err);
            return status instanceof Integer code ? code : 1;
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            err.println("weft: the client in " + folder + " has no " + mainClass
                    + ".run(String[], PrintStream, PrintStream): " + e);
            return 1;
        } catch (InvocationTargetException e) {
            err.println("weft: " + mainClass.substring(mainClass.lastIndexOf('.') + 1) + " failed: " + e.getCause());
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
