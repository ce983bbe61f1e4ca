package org.weft.distribution;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code bin/weft} process of an installation, its stdout and stderr written to files under
 * {@code target/process-logs/} (kept after the run, named by test and process), read by polling.
 * Start processes through {@link Group}, a JUnit extension that destroys every one it started
 * after each test, whatever the test did.
 */
final class WeftProcess {

    static final Duration TIMEOUT = WeftInstall.TIMEOUT;

    private final String name;
    private final List<String> args;
    private final Process process;
    private final Path out;
    private final Path err;

    private WeftProcess(String name, List<String> args, Process process, Path out, Path err) {
        this.name = name;
        this.args = args;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    String stdout() {
        return WeftInstall.read(out);
    }

    String stderr() {
        return WeftInstall.read(err);
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until a line of stdout matches {@code regex} (the whole line), for at most
     * {@code timeout}; fails at once when the process ends first.
     *
     * @return the match, for its groups
     */
    Matcher awaitLine(String regex, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Matcher> found = stdout().lines().map(pattern::matcher).filter(Matcher::matches).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                // what it printed last may have arrived after the read above
                found = stdout().lines().map(pattern::matcher).filter(Matcher::matches).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                fail(this + " ended (exit " + process.exitValue() + ") without a line matching " + regex + "\n" + describe());
            }
            if (System.nanoTime() > deadline) {
                fail(this + " printed no line matching " + regex + " within " + timeout + "\n" + describe());
            }
            Thread.sleep(50);
        }
    }

    Matcher awaitLine(String regex) throws InterruptedException {
        return awaitLine(regex, TIMEOUT);
    }

    /**
     * Waits until {@code n} lines of stdout match {@code regex} (each whole), for at most
     * {@link #TIMEOUT}; fails at once when the process ends first.
     *
     * @return the matches, in order
     */
    List<Matcher> awaitLines(String regex, int n) throws InterruptedException {
        return awaitLines(regex, n, TIMEOUT);
    }

    /** As {@link #awaitLines(String, int)}, waiting at most {@code timeout}. */
    List<Matcher> awaitLines(String regex, int n, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean alive = process.isAlive();
            List<Matcher> found = stdout().lines().map(pattern::matcher).filter(Matcher::matches).toList();
            if (found.size() >= n) {
                return found;
            }
            if (!alive) {
                fail(this + " ended (exit " + process.exitValue() + ") with " + found.size() + " of " + n + " lines matching "
                        + regex + "\n" + describe());
            }
            if (System.nanoTime() > deadline) {
                fail(this + " printed " + found.size() + " of " + n + " lines matching " + regex + " within " + timeout
                        + "\n" + describe());
            }
            Thread.sleep(50);
        }
    }

    /** Writes {@code text} to the process's stdin (started with {@link Group#startWithInput}). */
    void type(String text) throws IOException {
        process.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** @return the exit status; fails when the process is still running after {@code timeout} */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(this + " did not end within " + timeout + "\n" + describe());
        }
        return process.exitValue();
    }

    /** SIGTERM: the launcher stops the framework cleanly. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: gone at once, nothing runs after. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    String describe() {
        return "--- " + this + " stdout (" + out + "):\n" + stdout() + "\n--- stderr (" + err + "):\n" + stderr();
    }

    @Override
    public String toString() {
        return name + " [bin/weft " + String.join(" ", args) + "]";
    }

    /**
     * One installation for a test class, unpacked before its first test under
     * {@code target/process-logs/<class>/}, and the processes its tests start. Register it with
     * {@code @RegisterExtension static}: after each test it kills every process that test started
     * and is still running (SIGKILL, then waits for it). A process started in a {@code @BeforeAll}
     * method is the class's, shared by its tests (its files under {@code <class>/shared/}): it runs
     * until the last test is done; a test that relies on one checks it first with {@link #alive}.
     */
    static final class Group implements org.junit.jupiter.api.extension.BeforeAllCallback,
            org.junit.jupiter.api.extension.BeforeEachCallback, org.junit.jupiter.api.extension.AfterEachCallback,
            org.junit.jupiter.api.extension.AfterAllCallback {

        private static final Path ROOT = Path.of(System.getProperty("weft.processLogs", "target/process-logs"));
        private final List<WeftProcess> started = new ArrayList<>();
        /** The processes started before the first test: the class's, until the last test is done. */
        private final List<WeftProcess> shared = new ArrayList<>();
        private boolean inTest;
        private Path dir;
        private WeftInstall weft;
        private Path logs;
        private int count;

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
            dir = ROOT.resolve(context.getRequiredTestClass().getSimpleName()).toAbsolutePath();
            if (Files.exists(dir)) {
                try (java.util.stream.Stream<Path> old = Files.walk(dir)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Path install = Files.createDirectories(dir.resolve("install"));
            weft = WeftInstall.unpack(install);
            logs = Files.createDirectories(dir.resolve("shared"));
            inTest = false;
        }

        @Override
        public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) throws IOException {
            logs = Files.createDirectories(dir.resolve(context.getRequiredTestMethod().getName()));
            inTest = true;
        }

        /**
         * @return {@code process}, a process the class's tests share, once checked to be still
         *     running: a test that follows one that broke it fails here, saying so, not later
         */
        WeftProcess alive(WeftProcess process) {
            if (!process.process.isAlive()) {
                fail(process + ", which this class's tests share, has ended (exit " + process.process.exitValue()
                        + ") before this test\n" + process.describe());
            }
            return process;
        }

        /** The installation the class's tests share. */
        WeftInstall weft() {
            return weft;
        }

        /** A folder for the class's files (graphs, tokens). */
        Path dir() {
            return dir;
        }

        /** Starts {@code bin/weft args} of the shared installation. */
        WeftProcess start(String name, String... args) throws IOException {
            return start(weft, name, args);
        }

        /**
         * Runs {@code bin/weft submit} of a one-task graph ({@code a = inc(1)}) against {@code scheduler};
         * @return what it printed for {@code a} (a worker that runs tasks makes it {@code 2})
         */
        String submitInc(String scheduler) throws Exception {
            return submitInc(scheduler, null);
        }

        /** The same, the task restricted to {@code worker} when one is given. */
        String submitInc(String scheduler, String worker) throws Exception {
            Path graph = Files.writeString(dir.resolve("inc.json"), """
                    {"tasks": {"a": {"fn": "inc", "args": [1]WORKERS}}, "keys": ["a"]}
                    """.replace("WORKERS", worker == null ? "" : ", \"workers\": [\"" + worker + "\"]"));
            WeftProcess submit = start("submit", "submit", graph.toString(), "--scheduler", scheduler);
            org.junit.jupiter.api.Assertions.assertEquals(0, submit.awaitExit(java.time.Duration.ofMinutes(3)), submit.describe());
            java.util.regex.Matcher result = java.util.regex.Pattern.compile("(?m)^a = (.*)$").matcher(submit.stdout());
            org.junit.jupiter.api.Assertions.assertTrue(result.find(), submit.describe());
            return result.group(1);
        }

        /** Starts {@code bin/weft args} of the shared installation with a stdin the test writes to ({@link WeftProcess#type}). */
        WeftProcess startWithInput(String name, String... args) throws IOException {
            return start(weft, List.of(), name, ProcessBuilder.Redirect.PIPE, args);
        }

        /** Starts {@code bin/weft args} of {@code weft} with no stdin (end of input at once); {@code name} names its files. */
        WeftProcess start(WeftInstall weft, String name, String... args) throws IOException {
            return start(weft, List.of(), name, ProcessBuilder.Redirect.from(nothing()), args);
        }

        /**
         * Starts {@code wrapper bin/weft args} of the shared installation, e.g. with the wrapper
         * {@code ip netns exec NS} in a network namespace.
         */
        WeftProcess startWrapped(List<String> wrapper, String name, String... args) throws IOException {
            return start(weft, wrapper, name, ProcessBuilder.Redirect.from(nothing()), args);
        }

        private WeftProcess start(WeftInstall weft, List<String> wrapper, String name, ProcessBuilder.Redirect input,
                String... args) throws IOException {
            String label = String.format("%02d-%s", ++count, name);
            Path out = logs.resolve(label + ".stdout.txt");
            Path err = logs.resolve(label + ".stderr.txt");
            List<String> command = new ArrayList<>(wrapper);
            command.add(weft.home().resolve("bin/weft").toString());
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(weft.workDir().toFile())
                    .redirectInput(input)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            WeftInstall.testEnvironment(builder.environment());
            builder.environment().remove("WEFT_TOKEN");
            WeftProcess process = new WeftProcess(label, List.of(args), builder.start(), out, err);
            synchronized (started) {
                (inTest ? started : shared).add(process);
            }
            return process;
        }

        private static java.io.File nothing() {
            return new java.io.File("/dev/null");
        }

        /**
         * Starts {@code bin/weft scheduler --port 0 --no-console} of {@code weft} (in a
         * {@code @BeforeAll} method: the class's) and waits at most {@code timeout} for its address.
         */
        Scheduler startScheduler(WeftInstall weft, Duration timeout) throws Exception {
            WeftProcess process = start(weft, "scheduler", "scheduler", "--port", "0", "--no-console");
            return new Scheduler(this, process, process.awaitLine("scheduler at (tcp://127\\.0\\.0\\.1:\\d+)", timeout).group(1));
        }

        @Override
        public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) throws InterruptedException {
            killAll(started);
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) throws InterruptedException {
            killAll(shared);
        }

        /** Kills the processes of {@code list} and empties it. */
        private void killAll(List<WeftProcess> list) throws InterruptedException {
            List<WeftProcess> all;
            synchronized (started) {
                all = new ArrayList<>(list);
                list.clear();
            }
            for (WeftProcess p : all) {
                p.process.descendants().forEach(ProcessHandle::destroyForcibly);
                p.process.destroyForcibly();
            }
            for (WeftProcess p : all) {
                p.process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A scheduler process of a {@link Group} and the address it announced. */
    record Scheduler(Group group, WeftProcess process, String address) {

        /** @return its address, once the scheduler is checked to be still running ({@link Group#alive}) */
        String alive() {
            group.alive(process);
            return address;
        }
    }
}
