package org.weft.client.remote;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.weft.client.Client;
import org.weft.client.ClientOptions;
import org.weft.client.FutureStatus;
import org.weft.client.Graph;
import org.weft.client.GraphRejectedException;
import org.weft.client.Progress;
import org.weft.client.ProgressBar;
import org.weft.client.ProgressListener;
import org.weft.client.TaskFailedException;
import org.weft.client.WeftException;
import org.weft.client.WeftFuture;

/**
 * {@code weft submit}: runs a graph file on a scheduler process and prints each wanted key's
 * result as the shell's {@code weft:submit} does ({@code key = value}, {@code key: ERROR message},
 * {@code key: STATUS message}), with the progress on the error stream.
 *
 * <p>Exit status: 0 every wanted key finished; 1 a task failed, the graph was rejected, the
 * connection was lost, the time ran out or a preload failed; 2 wrong arguments or a graph file that cannot be read;
 * 3 the scheduler could not be reached or refused the client.
 */
public final class SubmitMain {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    private static final String USAGE_TEXT = "usage: weft submit GRAPH.json --scheduler tcp://HOST:PORT"
            + " [--token-file FILE] [--timeout 60s] [--tls-ca CA.pem [--tls-cert CERT.pem --tls-key KEY.pem]]"
            + " [--preload PRELOAD]... [--preload-argv JSON]";

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private SubmitMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. Never calls {@link System#exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments a;
        try {
            a = Arguments.parse(args, "graph file");
        } catch (IllegalArgumentException e) {
            err.println("weft submit: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        Graph graph;
        try {
            graph = Graph.read(a.file);
        } catch (IOException | IllegalArgumentException e) {
            err.println("weft submit: cannot read graph: " + reason(e));
            return USAGE;
        }
        ClientOptions options;
        try {
            options = a.options();
        } catch (IOException | IllegalArgumentException e) {
            err.println("weft submit: cannot read the token: " + reason(e));
            return USAGE;
        }
        Client client;
        try {
            client = Client.connect(a.scheduler, options);
        } catch (IllegalArgumentException e) {
            err.println("weft submit: " + e.getMessage());
            return USAGE;
        } catch (WeftException e) {
            err.println("weft submit: " + e.getMessage());
            return e.getCause() instanceof org.weft.preload.PreloadException ? FAILED : UNREACHABLE;
        }
        try (client) {
            return submit(client, graph, a.timeout, out, err);
        } catch (GraphRejectedException e) {
            err.println("weft submit: " + e.getMessage());
            return FAILED;
        } catch (RuntimeException e) {
            err.println("weft submit: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return FAILED;
        }
    }

    /**
     * Fetches the values of every finished future in one request, so that printing them does not
     * take a round trip to the scheduler per key. A value that cannot be fetched is left to its own
     * {@code get()}, which says why.
     */
    private static void fetchFinished(Client client, Collection<WeftFuture> futures, Duration timeout) {
        List<WeftFuture> finished = futures.stream().filter(f -> f.status() == FutureStatus.FINISHED).toList();
        try {
            if (timeout == null) {
                client.gather(finished);
            } else {
                client.gather(finished, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException oneFailed) {
            // each key's get() below fetches and reports its own
        }
    }

    private static int submit(Client client, Graph graph, Duration timeout, PrintStream out, PrintStream err) {
        long startNanos = System.nanoTime();
        Map<String, WeftFuture> futures = client.compute(graph);
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        // after a timeout the client closes and its pending futures end: that is not progress to show
        Progress progress = client.progress(futures.values(), new ProgressListener() {
            @Override
            public void progress(int done, int erred, int total) {
                progress(done, erred, 0, total);
            }

            @Override
            public void progress(int done, int erred, int cancelled, int total) {
                if (watching.get()) {
                    bar.progress(done, erred, cancelled, total);
                }
            }
        });
        boolean complete = true;
        if (timeout == null) {
            progress.await();
        } else {
            complete = progress.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        watching.set(false);
        fetchFinished(client, futures.values(),
                timeout == null ? null : timeout.minusNanos(System.nanoTime() - startNanos));
        int status = OK;
        for (Map.Entry<String, WeftFuture> e : futures.entrySet()) {
            WeftFuture f = e.getValue();
            if (f.status() == FutureStatus.FINISHED) {
                try {
                    out.println(e.getKey() + " = " + f.get());
                    continue;
                } catch (RuntimeException gatherFailed) {
                    out.println(e.getKey() + ": " + f.status() + " " + gatherFailed.getMessage());
                }
            } else if (!f.isDone()) {
                out.println(e.getKey() + ": " + f.status() + " (not done after " + format(timeout) + ")");
            } else {
                try {
                    f.get();
                } catch (TaskFailedException failure) {
                    out.println(e.getKey() + ": ERROR " + failure.getMessage());
                } catch (RuntimeException other) {
                    out.println(e.getKey() + ": " + f.status() + " " + other.getMessage());
                }
            }
            status = FAILED;
        }
        if (!complete) {
            err.println("weft submit: timed out after " + format(timeout) + ": " + progress);
        }
        return status;
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Why a file could not be read, in words: the JDK's file exceptions often carry only the path. */
    static String reason(Exception e) {
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file";
        }
        if (e instanceof java.nio.file.FileSystemException fs) {
            return fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName());
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** The parsed command line of a client command: one file, the scheduler, its token and TLS, a timeout. */
    static final class Arguments {
        Path file;
        String scheduler;
        Path tokenFile;
        Duration timeout;
        Path tlsCa;
        Path tlsCert;
        Path tlsKey;
        final List<String> preloads = new ArrayList<>();
        List<List<String>> preloadArgv = List.of();

        /** @param what what the one positional argument is, for messages ("graph file") */
        static Arguments parse(String[] args, String what) {
            Arguments a = new Arguments();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--scheduler" -> a.scheduler = value(args, ++i, arg);
                    case "--token-file" -> a.tokenFile = Path.of(value(args, ++i, arg));
                    case "--timeout" -> a.timeout = duration(value(args, ++i, arg));
                    case "--tls-ca" -> a.tlsCa = Path.of(value(args, ++i, arg));
                    case "--tls-cert" -> a.tlsCert = Path.of(value(args, ++i, arg));
                    case "--tls-key" -> a.tlsKey = Path.of(value(args, ++i, arg));
                    case "--preload" -> a.preloads.add(value(args, ++i, arg));
                    case "--preload-argv" -> a.preloadArgv = argvLists(value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        positional.add(arg);
                    }
                }
            }
            if (positional.size() != 1) {
                throw new IllegalArgumentException(positional.isEmpty() ? "no " + what + " given"
                        : "one " + what + " at a time, got " + positional);
            }
            if (a.scheduler == null) {
                throw new IllegalArgumentException("no scheduler given (--scheduler tcp://HOST:PORT)");
            }
            if (a.tlsCa == null && (a.tlsCert != null || a.tlsKey != null)) {
                throw new IllegalArgumentException("--tls-cert and --tls-key need --tls-ca");
            }
            if (!a.preloadArgv.isEmpty() && a.preloadArgv.size() != a.preloads.size()) {
                throw new IllegalArgumentException("--preload-argv gives " + a.preloadArgv.size() + " argument lists for "
                        + a.preloads.size() + " preloads");
            }
            a.file = Path.of(positional.get(0));
            return a;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        /** {@code 60s}, {@code 500ms}, {@code 2m}, {@code 1.5h}, or a number of seconds (as {@code bin/weft} checks them). */
        static Duration duration(String text) {
            java.util.regex.Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("--timeout takes a duration such as 30s, 500ms, 5m, 1h"
                        + " (a bare number is seconds), got '" + text + "'");
            }
            long perUnit = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            long millis = Math.round(Double.parseDouble(m.group(1)) * perUnit);
            if (millis <= 0) {
                throw new IllegalArgumentException("--timeout must be positive, got '" + text + "'");
            }
            return Duration.ofMillis(millis);
        }

        /** {@code [["--option", "value"], []]}: each preload's arguments (bin/weft passes the client's from etc/preload.properties). */
        static List<List<String>> argvLists(String json) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json,
                        new com.fasterxml.jackson.core.type.TypeReference<List<List<String>>>() { });
            } catch (IOException e) {
                throw new IllegalArgumentException("--preload-argv takes a JSON array of string arrays, got " + json);
            }
        }

        /** Reads the token file (its first line); TLS if a CA is given; the preloads. */
        ClientOptions options() throws IOException {
            ClientOptions options = ClientOptions.defaults();
            if (tokenFile != null) {
                List<String> lines = Files.readAllLines(tokenFile, StandardCharsets.UTF_8);
                String token = lines.isEmpty() ? "" : lines.get(0).trim();
                if (token.isEmpty()) {
                    throw new IllegalArgumentException("token file " + tokenFile + " is empty");
                }
                options = options.withToken(token);
            }
            if (tlsCa != null) {
                options = options.withTls(tlsCa, tlsCert, tlsKey);
            }
            if (!preloads.isEmpty()) {
                options = options.withPreloads(preloads, preloadArgv);
            }
            return options;
        }
    }
}
