package org.weft.distribution;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A Weft installation unpacked from the distribution archive, and ways to run its bin/weft. */
final class WeftInstall {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final Path workDir;
    private int runs;

    private WeftInstall(Path home, Path workDir) {
        this.home = home;
        this.workDir = workDir;
    }

    /** Unpacks target/weft-&lt;version&gt;.tar.gz into {@code dir} with tar, as a user would. */
    static WeftInstall unpack(Path dir) throws Exception {
        Path archive = Path.of(System.getProperty("weft.archive", "target/weft-0.1.0-SNAPSHOT.tar.gz"));
        if (!Files.isRegularFile(archive)) {
            fail("No distribution archive at " + archive + ": run the package phase first");
        }
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), "tar -xzf failed: " + output);
        Path workDir = Files.createDirectories(dir.resolve("cwd"));
        return new WeftInstall(dir.resolve("weft"), workDir);
    }

    /** Moves the installation folder to {@code newHome} (as {@code mv} would) and returns it there. */
    WeftInstall moveTo(Path newHome) throws IOException {
        Files.createDirectories(newHome.getParent());
        Files.move(home, newHome);
        return new WeftInstall(newHome, workDir);
    }

    Path home() {
        return home;
    }

    /** The working directory bin/weft runs in: neither the installation nor bin/. */
    Path workDir() {
        return workDir;
    }

    /** Runs bin/weft to the end with stdin from {@code input} (null: no input at all). */
    Finished run(String input, String... args) throws Exception {
        return runWithJavaOpts(null, input, args);
    }

    /** {@link #run}, with {@code JAVA_OPTS} set to {@code javaOpts} (null: the tests' own, see {@link #testEnvironment}). */
    Finished runWithJavaOpts(String javaOpts, String input, String... args) throws Exception {
        return runWithEnv(javaOpts == null ? Map.of() : Map.of("JAVA_OPTS", javaOpts), input, args);
    }

    /** {@link #run}, with these environment variables added to (or replacing) {@link #testEnvironment}'s. */
    Finished runWithEnv(Map<String, String> env, String input, String... args) throws Exception {
        Path in = workDir.resolve("stdin-" + (++runs) + ".txt");
        Files.writeString(in, input == null ? "" : input, StandardCharsets.UTF_8);
        ProcessBuilder builder = builder(home.resolve("bin/weft"), args).redirectInput(in.toFile());
        builder.environment().putAll(env);
        Path out = workDir.resolve("stdout-" + runs + ".txt");
        Path err = workDir.resolve("stderr-" + runs + ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("bin/weft " + String.join(" ", args) + " did not end within " + TIMEOUT
                        + "\nstdout:\n" + read(out) + "\nstderr:\n" + read(err));
            }
        } finally {
            process.destroyForcibly();
        }
        return new Finished(process.exitValue(), read(out), read(err));
    }

    /** Starts bin/weft (or another launcher path) with a pipe on stdin. */
    Running start(Path launcher, String... args) throws IOException {
        ++runs;
        Path out = workDir.resolve("stdout-" + runs + ".txt");
        Path err = workDir.resolve("stderr-" + runs + ".txt");
        Process process = builder(launcher, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Running(process, out, err);
    }

    Running start(String... args) throws IOException {
        return start(home.resolve("bin/weft"), args);
    }

    private ProcessBuilder builder(Path launcher, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        testEnvironment(builder.environment());
        return builder;
    }

    /**
     * The environment every bin/weft of the tests runs in: this JVM's Java; no JVM options from the
     * machine; {@code -XX:TieredStopAtLevel=1}, as the processes of a test live seconds and measure
     * nothing, and the optimizing compiler's threads would take more of two cores than they give back
     * (a scheduler starts in about half the time); the dashboard on a free port, so that tests
     * running side by side do not race for 8787 (a test that cares passes {@code --dashboard-address}
     * or sets the variable itself).
     */
    static void testEnvironment(Map<String, String> env) {
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("JAVA_TOOL_OPTIONS");
        env.put("JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        env.put("WEFT_DASHBOARD_ADDRESS", "127.0.0.1:0");
    }

    /**
     * The lines of {@code text} that report a problem: a WARNING or SEVERE log line, an exception.
     * A plugin call reported slow is left out: on a loaded machine a GC pause or a compilation
     * makes one, and it says nothing about how Weft starts or stops.
     */
    static List<String> problemLines(String text) {
        return text.lines().filter(l -> l.contains("WARNING") || l.contains("SEVERE") || l.contains("Exception"))
                .filter(l -> !l.contains(" is slow: "))
                .toList();
    }

    /** data/log/weft.log's WARNING and SEVERE records (see {@link #problemLines}; an INFO line may name an exception). */
    List<String> logProblems() {
        return problemLines(read(home.resolve("data/log/weft.log"))).stream()
                .filter(l -> l.matches("^\\S+ \\S+ (WARNING|SEVERE) .*")).toList();
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    record Finished(int exitCode, String stdout, String stderr) {

        String all() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** A running bin/weft: its output is polled from files, never slept on. */
    static final class Running implements AutoCloseable {

        private final Process process;
        private final Path out;
        private final Path err;
        private final OutputStream stdin;

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.stdin = process.getOutputStream();
        }

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        Process process() {
            return process;
        }

        void send(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        void closeInput() throws IOException {
            stdin.close();
        }

        /** Waits until stdout satisfies {@code condition}; fails early if the process ends. */
        void awaitStdout(String what, Predicate<String> condition) {
            awaitTrue(what, () -> {
                if (condition.test(stdout())) {
                    return true;
                }
                if (!process.isAlive()) {
                    fail("bin/weft ended (exit " + process.exitValue() + ") before " + what + "\n" + describe());
                }
                return false;
            });
        }

        /** Waits until stderr satisfies {@code condition}; fails early if the process ends. */
        void awaitStderr(String what, Predicate<String> condition) {
            awaitTrue(what, () -> {
                if (condition.test(stderr())) {
                    return true;
                }
                if (!process.isAlive()) {
                    fail("bin/weft ended (exit " + process.exitValue() + ") before " + what + "\n" + describe());
                }
                return false;
            });
        }

        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("bin/weft did not end within " + timeout + "\n" + describe());
            }
            return process.exitValue();
        }

        String describe() {
            return "stdout:\n" + stdout() + "\nstderr:\n" + stderr();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Polls {@code condition} until true, for at most {@link #TIMEOUT}. */
    static void awaitTrue(String what, Callable<Boolean> condition) {
        await(what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(condition);
    }
}
