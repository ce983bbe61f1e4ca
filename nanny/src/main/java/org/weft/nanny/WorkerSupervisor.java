package org.weft.nanny;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weft.plugin.api.NannyView;

/**
 * Starts the worker process, watches it, and starts a fresh one when it ends, as
 * {@link RestartPolicy} decides; kills it past its memory limit; stops it on request. Every
 * decision runs on the nanny's one thread ({@code loop}); the worker's stdout passes through to the
 * nanny's (read on a thread of its own, which also learns the worker's address from its
 * {@code worker NAME at ADDR joined SCHEDULER} line); its stderr is the nanny's.
 */
final class WorkerSupervisor implements NannyView {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerSupervisor.class);
    private static final Pattern JOINED = Pattern.compile("worker (\\S+) at (\\S+) joined (\\S+)");

    /**
     * @param command the worker's command line (its JVM, options, main class and arguments)
     * @param memoryLimit bytes; 0: none
     * @param memoryPollMillis how often the worker's resident memory is read
     * @param stopMillis how long a worker told to stop (SIGTERM) may take before it is killed
     */
    record Settings(List<String> command, String workerName, String schedulerAddress, long memoryLimit,
            int maxRestarts, long memoryPollMillis, long stopMillis, String nannyId) {
    }

    /**
     * The environment variable each worker process gets: this nanny's id, which the worker says in
     * its hello so the scheduler knows its fresh worker after a restart (WorkerProcess.NANNY_ID_ENV in
     * the worker bundle: keep them in step).
     */
    static final String NANNY_ID_ENV = "WEFT_NANNY_ID";

    /** What the nanny reports to whoever runs it (the launcher: stdout, stderr, exit status). */
    interface Reports {
        /** A line a person watching the nanny must see (stdout). */
        void announce(String line);

        /** The nanny is done: the worker ended for good; {@code status} is the nanny's exit status. */
        void finished(int status, String why);
    }

    private final Settings settings;
    private final ScheduledExecutorService loop;
    private final Reports reports;
    private final RestartPolicy policy;

    // loop-confined
    private Process process;
    private long startedNanos;
    private String killedFor;
    private boolean restartAfterKill;
    private ScheduledFuture<?> pendingStart;
    private ScheduledFuture<?> memoryWatch;
    private boolean stopping;
    private boolean done;
    private boolean memoryUnsupportedSaid;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    // read from any thread (NannyView)
    private volatile long pid = -1;
    private volatile String address;
    private volatile int starts;

    WorkerSupervisor(Settings settings, ScheduledExecutorService loop, Reports reports) {
        this.settings = settings;
        this.loop = loop;
        this.reports = reports;
        this.policy = new RestartPolicy(settings.maxRestarts());
    }

    /** Starts the first worker process (on the loop). */
    void start() {
        loop.execute(() -> {
            launch();
            if (settings.memoryLimit() > 0) {
                memoryWatch = loop.scheduleWithFixedDelay(this::checkMemory, settings.memoryPollMillis(),
                        settings.memoryPollMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Whether a worker process was started at least once (a plugin's restart flag matters only then). */
    boolean started() {
        return starts > 0;
    }

    // ---------------------------------------------------------------- NannyView

    @Override
    public String workerAddress() {
        return address;
    }

    @Override
    public String workerName() {
        return settings.workerName();
    }

    @Override
    public long workerPid() {
        return pid;
    }

    @Override
    public String schedulerAddress() {
        return settings.schedulerAddress();
    }

    @Override
    public long memoryLimit() {
        return settings.memoryLimit();
    }

    @Override
    public int workerStarts() {
        return starts;
    }

    @Override
    public void restartWorker(String reason) {
        loop.execute(() -> restartNow(reason == null || reason.isBlank() ? "asked for" : reason));
    }

    // ---------------------------------------------------------------- on the loop

    private void launch() {
        pendingStart = null;
        if (stopping || done) {
            return;
        }
        Process started;
        try {
            ProcessBuilder builder = new ProcessBuilder(settings.command())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.PIPE);
            if (settings.nannyId() != null) {
                builder.environment().put(NANNY_ID_ENV, settings.nannyId());
            }
            started = builder.start();
        } catch (IOException e) {
            end(1, "cannot start the worker process: " + e.getMessage());
            return;
        }
        try {
            started.getOutputStream().close(); // the worker never reads stdin: the console is the nanny's
        } catch (IOException ignored) {
            // already closed
        }
        process = started;
        startedNanos = System.nanoTime();
        killedFor = null;
        restartAfterKill = false;
        pid = started.pid();
        address = null;
        starts++;
        reports.announce("nanny started worker process " + started.pid()
                + (starts > 1 ? " (start " + starts + ")" : ""));
        Thread out = new Thread(() -> passThrough(started), "weft-nanny-out-" + started.pid());
        out.setDaemon(true);
        out.start();
        started.onExit().thenRun(() -> loop.execute(() -> exited(started)));
    }

    private void exited(Process ended) {
        if (ended != process) {
            return;
        }
        process = null;
        pid = -1;
        address = null;
        int status = ended.exitValue();
        long ranMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        String ran = seconds(ranMillis);
        if (stopping) {
            LOG.info("worker process {} exited with status {} after {}; the nanny is stopping", ended.pid(), status, ran);
            stopped.complete(null);
            return;
        }
        if (restartAfterKill) {
            policy.deliberateRestart();
            reports.announce("nanny: worker process " + ended.pid() + " exited with status " + status + " after " + ran
                    + " (" + killedFor + "); starting a fresh one");
            launch();
            return;
        }
        RestartPolicy.Decision decision = policy.afterExit(status, ranMillis, killedFor != null);
        String what = "worker process " + ended.pid() + " exited with status " + status + " after " + ran
                + (killedFor != null ? " (" + killedFor + ")" : "");
        if (decision instanceof RestartPolicy.Stop stop) {
            reports.announce("nanny: " + what + ": " + stop.why() + "; the nanny stops");
            end(stop.status(), what + ": " + stop.why());
        } else if (decision instanceof RestartPolicy.Restart restart && restart.attempt() == 0) {
            reports.announce("nanny: " + what + ": its scheduler restarted it; starting a fresh one");
            launch();
        } else if (decision instanceof RestartPolicy.Restart restart) {
            reports.announce("nanny: " + what + "; restarting in " + seconds(restart.delayMillis()) + " (restart "
                    + restart.attempt() + " in a row, at most " + policy.maxRestarts() + ")");
            pendingStart = loop.schedule(this::launch, restart.delayMillis(), TimeUnit.MILLISECONDS);
        } else if (decision instanceof RestartPolicy.GiveUp giveUp) {
            String why = "gave up after " + giveUp.restarts() + " restart(s): the worker process died "
                    + (giveUp.restarts() + 1) + " time(s) in a row, each within "
                    + RestartPolicy.STABLE_MILLIS / 1000 + " s of its start (last: " + what + ")";
            reports.announce("nanny: " + why);
            end(1, why);
        }
    }

    private void restartNow(String reason) {
        if (stopping || done) {
            return;
        }
        Process running = process;
        if (running == null) {
            if (pendingStart != null) {
                pendingStart.cancel(false);
                policy.deliberateRestart();
                reports.announce("nanny: starting the worker now: " + reason);
                launch();
            }
            return;
        }
        if (restartAfterKill) {
            return; // already being restarted
        }
        reports.announce("nanny: restarting worker process " + running.pid() + ": " + reason);
        killedFor = "restarted: " + reason;
        restartAfterKill = true;
        terminate(running);
    }

    private void checkMemory() {
        Process running = process;
        if (running == null || killedFor != null || stopping) {
            return;
        }
        if (!ProcessMemory.supported()) {
            if (!memoryUnsupportedSaid) {
                memoryUnsupportedSaid = true;
                LOG.warn("the memory limit cannot be enforced: this system does not show a process's resident memory (/proc)");
            }
            return;
        }
        long rss = ProcessMemory.residentBytes(running.pid());
        if (rss > settings.memoryLimit()) {
            killedFor = "over its memory limit: " + ProcessMemory.describe(rss) + " resident, limit "
                    + ProcessMemory.describe(settings.memoryLimit());
            reports.announce("nanny: worker process " + running.pid() + " uses " + ProcessMemory.describe(rss)
                    + ", over its memory limit of " + ProcessMemory.describe(settings.memoryLimit()) + ": killing it");
            running.destroyForcibly();
        }
    }

    /** SIGTERM (the worker retires), then SIGKILL if it is still there after {@code stopMillis}. */
    private void terminate(Process running) {
        running.destroy();
        loop.schedule(() -> {
            if (running.isAlive()) {
                LOG.warn("worker process {} did not stop within {} ms; killing it", running.pid(), settings.stopMillis());
                running.destroyForcibly();
            }
        }, settings.stopMillis(), TimeUnit.MILLISECONDS);
    }

    private void end(int status, String why) {
        if (done) {
            return;
        }
        done = true;
        if (memoryWatch != null) {
            memoryWatch.cancel(false);
        }
        stopped.complete(null);
        reports.finished(status, why);
    }

    // ---------------------------------------------------------------- stop

    /**
     * Stops the worker (SIGTERM: it retires) and waits until it exited, killing it after
     * {@code stopMillis}; no restart follows. Not on the loop.
     */
    void stop() {
        loop.execute(() -> {
            stopping = true;
            if (pendingStart != null) {
                pendingStart.cancel(false);
            }
            if (memoryWatch != null) {
                memoryWatch.cancel(false);
            }
            Process running = process;
            if (running == null) {
                stopped.complete(null);
            } else {
                LOG.info("stopping worker process {} (SIGTERM: it retires)", running.pid());
                terminate(running);
            }
        });
        try {
            stopped.get(settings.stopMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("the worker process did not end in time");
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("stopping the worker failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- the worker's stdout

    private void passThrough(Process worker) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (System.out) {
                    System.out.println(line);
                    System.out.flush();
                }
                Matcher joined = JOINED.matcher(line.strip());
                if (joined.matches() && pid == worker.pid()) {
                    address = joined.group(2);
                    LOG.info("worker process {} joined {} as {} at {}", worker.pid(), joined.group(3), joined.group(1),
                            joined.group(2));
                }
            }
        } catch (IOException e) {
            LOG.debug("worker process {}: stdout closed: {}", worker.pid(), e.getMessage());
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
