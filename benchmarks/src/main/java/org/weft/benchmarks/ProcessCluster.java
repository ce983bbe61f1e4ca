package org.weft.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.weft.client.Client;

/**
 * A scheduler and its workers as separate {@code bin/weft} processes of a built distribution, on
 * loopback, each worker with its own name and thread count, as a user starts them:
 * {@code bin/weft scheduler --port 0 --no-console}, then {@code bin/weft worker tcp://HOST:PORT
 * --nthreads N --name wI --no-console} for every worker at once (with a fixed port, all of them at
 * once). {@link #start} returns once every
 * worker printed its {@code joined} line; {@link #startSeconds()} is the wall time from starting the
 * scheduler's process to that moment, JVM starts included. Each process's standard output and error
 * go to files in {@link #logs()}.
 */
final class ProcessCluster implements AutoCloseable {

    static final Pattern SCHEDULER_LINE = Pattern.compile("scheduler at (tcp://\\S+)");
    static final Pattern WORKER_LINE = Pattern.compile("worker (\\S+) at (tcp://\\S+) joined (tcp://\\S+)");

    /** What a worker's {@code joined} line says. */
    record Joined(String name, String address, String scheduler) {
    }

    /** The scheduler's address in its announce line, if {@code line} is that line. */
    static Optional<String> schedulerAddress(String line) {
        Matcher m = SCHEDULER_LINE.matcher(line.strip());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The worker's name and address in its {@code joined} line, if {@code line} is that line. */
    static Optional<Joined> joined(String line) {
        Matcher m = WORKER_LINE.matcher(line.strip());
        return m.matches() ? Optional.of(new Joined(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    /** The distribution's folder when none is named: {@code distribution/target/weft} beside this module. */
    static Path defaultHome() {
        String dir = System.getProperty("weft.benchmarks.dir");
        Path benchmarks = dir != null ? Path.of(dir) : Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks") : Path.of(".");
        return benchmarks.toAbsolutePath().normalize().resolveSibling("distribution").resolve("target").resolve("weft");
    }

    /** {@code bin/weft} of the distribution at {@code home}; throws, saying how to build it, if there is none. */
    static Path launcher(Path home) {
        Path weft = home.resolve("bin").resolve("weft");
        if (!Files.isExecutable(weft)) {
            throw new Bench.RunFailed("no built distribution at " + home + " (" + weft + " is missing). "
                    + "Build it from the repository root first:  mvn -B -q package -pl distribution,benchmarks -am -DskipTests"
                    + "  (or name one with --weft-home)");
        }
        return weft;
    }

    /**
     * How the processes are started: the installation, the JVM flags ({@code JAVA_OPTS}; null:
     * bin/weft's), the limits, and the scheduler's port: 0 for any free one, the workers started
     * once it printed its address; a fixed port starts the workers at the same time as the
     * scheduler, given {@code tcp://127.0.0.1:PORT} (they try to join every second until it listens).
     */
    record Settings(Path home, int workers, int threads, String javaOpts, Duration timeout, int port,
            String workerJavaOpts, List<String> workerArgs, List<String> schedulerArgs) {

        /** Workers with the scheduler's JVM flags and no extra arguments. */
        Settings(Path home, int workers, int threads, String javaOpts, Duration timeout, int port) {
            this(home, workers, threads, javaOpts, timeout, port, javaOpts, List.of());
        }

        /** No extra arguments for the scheduler. */
        Settings(Path home, int workers, int threads, String javaOpts, Duration timeout, int port,
                String workerJavaOpts, List<String> workerArgs) {
            this(home, workers, threads, javaOpts, timeout, port, workerJavaOpts, workerArgs, List.of());
        }

        /** The same with these arguments added to {@code bin/weft scheduler}'s. */
        Settings withSchedulerArgs(String... args) {
            return new Settings(home, workers, threads, javaOpts, timeout, port, workerJavaOpts, workerArgs, List.of(args));
        }
    }

    private final Settings settings;
    private final Path logs;
    private final List<Node> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private String schedulerAddress;
    private final List<Joined> workers = new ArrayList<>();
    private double startSeconds;
    private double schedulerSeconds;
    private double workersSeconds;

    /** Kills the processes if this JVM ends before {@link #close} (Ctrl-C on benchmarks/run). */
    private final Thread killOnExit = new Thread(() -> nodes.forEach(n -> n.process.destroyForcibly()), "weft-bench-kill-processes");

    private ProcessCluster(Settings settings, Path logs) {
        this.settings = settings;
        this.logs = logs;
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts the scheduler, waits for its address, starts the workers together and waits until each
     * has joined. On failure every process started is stopped and the exception names the logs.
     */
    static ProcessCluster start(Settings settings, Path logs) {
        Path weft = launcher(settings.home());
        ProcessCluster c = new ProcessCluster(settings, logs);
        try {
            c.startAll(weft);
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private void startAll(Path weft) {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        long t0 = System.nanoTime();
        List<String> schedulerCommand = new ArrayList<>(List.of("scheduler", "--port", Integer.toString(settings.port()),
                "--no-console"));
        schedulerCommand.addAll(settings.schedulerArgs());
        Node scheduler = launch(weft, "scheduler", schedulerCommand, settings.javaOpts());
        List<Node> started = new ArrayList<>();
        long workersLaunched = t0;
        if (settings.port() > 0) {
            launchWorkers(weft, "tcp://127.0.0.1:" + settings.port(), started);
        }
        schedulerAddress = scheduler.await(l -> schedulerAddress(l), deadline, "its 'scheduler at' line");
        schedulerSeconds = (System.nanoTime() - t0) / 1e9;
        if (settings.port() <= 0) {
            workersLaunched = System.nanoTime();
            launchWorkers(weft, schedulerAddress, started);
        }
        for (Node n : started) {
            workers.add(n.await(l -> joined(l), deadline, "its 'joined' line"));
        }
        long end = System.nanoTime();
        startSeconds = (end - t0) / 1e9;
        workersSeconds = (end - workersLaunched) / 1e9;
    }

    private void launchWorkers(Path weft, String scheduler, List<Node> started) {
        for (int i = 1; i <= settings.workers(); i++) {
            String name = "w" + i;
            // without a nanny: the figures (join time, resident memory, CPU) are the worker's own process
            List<String> args = new ArrayList<>(List.of("worker", scheduler, "--nthreads", Integer.toString(settings.threads()),
                    "--name", name, "--no-console", "--no-nanny"));
            args.addAll(settings.workerArgs());
            started.add(launch(weft, name, args, settings.workerJavaOpts()));
        }
    }

    private Node launch(Path weft, String name, List<String> args, String javaOpts) {
        List<String> command = new ArrayList<>();
        command.add(weft.toString());
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command).directory(logs.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(logs.resolve(name + ".stderr.txt").toFile());
        Map<String, String> env = b.environment();
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JVM the benchmark runs on
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("WEFT_TOKEN");
        if (javaOpts == null || javaOpts.isBlank()) {
            env.remove("JAVA_OPTS");
        } else {
            env.put("JAVA_OPTS", javaOpts);
        }
        try {
            Node n = new Node(name, b.start(), logs.resolve(name + ".stdout.txt"));
            nodes.add(n);
            return n;
        } catch (IOException e) {
            throw new Bench.RunFailed("cannot start " + command + ": " + e);
        }
    }

    /**
     * The scheduler's dashboard, {@code http://HOST:PORT}, from its {@code dashboard at} line (which
     * may come before or after its address), waiting up to the start timeout.
     */
    String dashboardAddress() {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("dashboard at (http://\\S+?)/?$", java.util.regex.Pattern.MULTILINE);
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                java.util.regex.Matcher m = line.matcher(Files.readString(logs.resolve("scheduler.stdout.txt")));
                if (m.find()) {
                    return m.group(1);
                }
            } catch (IOException e) {
                // not written yet
            }
            Bench.sleep(50);
        }
        throw new Bench.RunFailed("the scheduler printed no 'dashboard at' line; its output is in " + logs);
    }

    /** The scheduler's address, {@code tcp://HOST:PORT}. */
    String schedulerAddress() {
        return schedulerAddress;
    }

    /** The workers as their {@code joined} lines named them, in start order ({@code w1}, {@code w2}, ...). */
    List<Joined> workers() {
        return List.copyOf(workers);
    }

    /** Seconds from starting the scheduler's process until every worker had joined. */
    double startSeconds() {
        return startSeconds;
    }

    /** Seconds from starting the scheduler's process until it printed its address. */
    double schedulerSeconds() {
        return schedulerSeconds;
    }

    /**
     * Seconds from launching the workers' processes until every one had joined: with port 0 the
     * scheduler was listening already; with a fixed port they started with it.
     */
    double workersSeconds() {
        return workersSeconds;
    }

    /** The processes' ids: the scheduler's, then the workers' in start order. */
    List<Long> pids() {
        return nodes.stream().map(n -> n.process.pid()).toList();
    }

    /** Where the processes' output is. */
    Path logs() {
        return logs;
    }

    /** CPU time every process of the cluster has used so far, in nanoseconds (-1 if one cannot tell). */
    long cpuNanos() {
        long total = 0;
        for (Node n : nodes) {
            Optional<Duration> cpu = n.process.info().totalCpuDuration();
            if (cpu.isEmpty()) {
                return -1;
            }
            total += cpu.get().toNanos();
        }
        return total;
    }

    /** CPU time the scheduler's process has used so far, in nanoseconds (-1 if one cannot tell). */
    long schedulerCpuNanos() {
        return nodes.isEmpty() ? -1 : nodes.get(0).process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * The resident memory of each worker process (and its descendants, e.g. a worker JVM under a
     * nanny), in bytes, from {@code /proc/PID/status}; empty where there is no {@code /proc}.
     */
    List<Long> workerResidentBytes() {
        List<Long> out = new ArrayList<>();
        for (Node n : nodes.subList(Math.min(1, nodes.size()), nodes.size())) {
            long total = residentBytes(n.process.pid());
            if (total < 0) {
                return List.of();
            }
            for (ProcessHandle child : n.process.descendants().toList()) {
                total += Math.max(0, residentBytes(child.pid()));
            }
            out.add(total);
        }
        return out;
    }

    /**
     * Minor page faults every process of the cluster has taken so far ({@code /proc/PID/stat}'s
     * {@code minflt}; -1 where there is no {@code /proc}): memory touched for the first time, or
     * again after the JVM gave it back, each a fault, dear on a virtual machine.
     */
    long minorFaults() {
        long total = 0;
        for (Node n : nodes) {
            try {
                total += Long.parseLong(Bench.procStat(Path.of("/proc", Long.toString(n.process.pid())))[7]); // minflt
            } catch (IOException | RuntimeException e) {
                return -1; // not Linux, or the process is gone
            }
        }
        return total;
    }

    /** VmRSS of a process, in bytes; -1 if it cannot be read. */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /**
     * Waits until the scheduler holds no task and no worker holds a result, as the scheduler tells
     * {@code client} ({@link Client#identity()}).
     */
    static void awaitEmpty(Client client, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Map<String, Object> identity;
        while (held(identity = client.identity()) > 0) {
            if (System.nanoTime() > deadline) {
                throw new Bench.RunFailed("the cluster still holds tasks " + timeoutSeconds + " s after release: " + identity);
            }
            Bench.sleep(5);
        }
    }

    /** Tasks the scheduler holds plus results and runs its workers hold, from {@link Client#identity()}. */
    static long held(Map<String, Object> identity) {
        long held = ((Number) identity.getOrDefault("total-tasks", 0)).longValue();
        if (identity.get("workers") instanceof Map<?, ?> workers) {
            for (Object w : workers.values()) {
                if (w instanceof Map<?, ?> one) {
                    for (String k : List.of("processing", "in-memory")) {
                        if (one.get(k) instanceof Number n) {
                            held += n.longValue();
                        }
                    }
                }
            }
        }
        return held;
    }

    /** How many workers the scheduler knows, from {@link Client#identity()}. */
    static int workerCount(Map<String, Object> identity) {
        return identity.get("workers") instanceof Map<?, ?> workers ? workers.size() : 0;
    }

    /** Stops the workers (SIGTERM, together), then the scheduler; kills what is still running after 30 s. */
    @Override
    public void close() {
        List<Node> workerNodes = nodes.size() > 1 ? List.copyOf(nodes.subList(1, nodes.size())) : List.of();
        workerNodes.forEach(n -> n.process.destroy()); // first: they would try to reach a stopped scheduler again
        workerNodes.forEach(Node::awaitExit);
        if (!nodes.isEmpty()) {
            nodes.get(0).process.destroy();
            nodes.get(0).awaitExit();
        }
        nodes.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (and finds nothing left) or has run
        }
    }

    /** One process, its standard output read line by line into a file and a queue. */
    private final class Node {
        final String name;
        final Process process;
        final Path out;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Node(String name, Process process, Path out) {
            this.name = name;
            this.process = process;
            this.out = out;
            Thread reader = new Thread(this::pump, "weft-bench-" + name + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void pump() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter file = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = r.readLine()) != null) {
                    file.println(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("# (reading stdout failed: " + e + ")");
            }
        }

        <T> T await(java.util.function.Function<String, Optional<T>> match, long deadline, String what) {
            while (true) {
                String line;
                try {
                    line = lines.poll(20, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Bench.RunFailed("interrupted");
                }
                if (line != null) {
                    Optional<T> found = match.apply(line);
                    if (found.isPresent()) {
                        return found.get();
                    }
                } else if (!process.isAlive() && lines.isEmpty()) {
                    throw new Bench.RunFailed(name + " ended (exit " + process.exitValue() + ") before " + what + "; its output is in " + logs);
                } else if (System.nanoTime() > deadline) {
                    throw new Bench.RunFailed(name + " printed no " + what + " within " + settings.timeout().toSeconds()
                            + " s; its output is in " + logs);
                }
            }
        }

        void awaitExit() {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
