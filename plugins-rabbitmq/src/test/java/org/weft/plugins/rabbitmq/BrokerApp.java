package org.weft.plugins.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's RabbitMQ broker stopped and started for real, with {@code rabbitmqctl stop_app} and
 * {@code start_app} (the Erlang node stays up; each call takes a few seconds). A stopped broker is
 * always started again: by {@link #close}, and by a shutdown hook should the test JVM end first,
 * so a failing test never leaves the machine without its broker.
 */
final class BrokerApp implements AutoCloseable {

    private static final long CALL_SECONDS = 120;

    private volatile boolean stopped;
    private final Thread restoreAtExit = new Thread(this::startQuietly, "weft-test-broker-restore");

    /** Why {@code rabbitmqctl} cannot control the broker here, or {@code null} if it can. */
    static String unavailable() {
        try {
            Result r = run("rabbitmqctl", "status");
            return r.exit() == 0 ? null : "rabbitmqctl status failed (" + r.exit() + "): " + r.output().strip();
        } catch (IOException e) {
            return "no rabbitmqctl: " + e.getMessage();
        }
    }

    /**
     * The names of the clients connected to the broker now other than {@code ours} (by the
     * connection name each gave): a test must not stop a broker that serves someone else.
     */
    static List<String> otherClients(java.util.Set<String> ours) throws IOException {
        Result r = run("rabbitmqctl", "-s", "list_connections", "client_properties");
        check(r, "list_connections");
        List<String> others = new ArrayList<>();
        for (String line : r.output().split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            java.util.regex.Matcher m = CONNECTION_NAME.matcher(line);
            String name = m.find() ? m.group(1) : "(unnamed)";
            if (ours.stream().noneMatch(name::startsWith)) {
                others.add(name);
            }
        }
        return others;
    }

    private static final java.util.regex.Pattern CONNECTION_NAME =
            java.util.regex.Pattern.compile("\\{\"connection_name\",\"([^\"]*)\"\\}");

    /** Stops the broker's application: connections are closed, new ones refused, durable queues kept. */
    void stop() throws IOException {
        Runtime.getRuntime().addShutdownHook(restoreAtExit);
        stopped = true;
        check(run("rabbitmqctl", "stop_app"), "stop_app");
    }

    /** Starts it again and waits until it takes connections. */
    void start() throws IOException {
        check(run("rabbitmqctl", "start_app"), "start_app");
        check(run("rabbitmqctl", "await_startup"), "await_startup");
        stopped = false;
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran: nothing to remove
        }
    }

    @Override
    public void close() throws IOException {
        if (stopped) {
            start();
        }
    }

    private void startQuietly() {
        if (stopped) {
            try {
                run("rabbitmqctl", "start_app");
            } catch (IOException e) {
                System.err.println("could not start the RabbitMQ application again: " + e.getMessage());
            }
        }
    }

    private record Result(int exit, String output) {
    }

    private static void check(Result r, String what) throws IOException {
        if (r.exit() != 0) {
            throw new IOException("rabbitmqctl " + what + " failed (" + r.exit() + "): " + r.output().strip());
        }
    }

    private static Result run(String... command) throws IOException {
        List<String> args = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(CALL_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", args) + " did not end within " + CALL_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
