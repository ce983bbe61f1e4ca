package org.weft.nanny;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor over real child processes ({@code sh} scripts standing in for the worker's JVM):
 * what it does after each kind of end, its memory limit, its stop.
 */
class WorkerSupervisorTest {

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> finished = new CompletableFuture<>();
    private final WorkerSupervisor.Reports reports = new WorkerSupervisor.Reports() {
        @Override
        public void announce(String line) {
            lines.add(line);
        }

        @Override
        public void finished(int status, String why) {
            lines.add("finished " + status + ": " + why);
            finished.complete(status);
        }
    };
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    private WorkerSupervisor supervisor(String script, long memoryLimit, int maxRestarts) {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        return new WorkerSupervisor(new WorkerSupervisor.Settings(List.of("/bin/sh", "-c", script), "w", "tcp://s:1",
                memoryLimit, maxRestarts, 20, 5_000, "nanny-test-1"), loop, reports);
    }

    private long count(String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).count();
    }

    @Test
    void aWorkerThatKeepsDyingIsRestartedWithBackOffThenGivenUpOn() throws Exception {
        WorkerSupervisor s = supervisor("exit 3", 0, 2);
        s.start();
        assertEquals(1, finished.get(30, TimeUnit.SECONDS));
        assertEquals(3, count("nanny started worker process"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("exited with status 3") && l.contains("restarting in 1.0 s")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("restarting in 2.0 s")), lines.toString());
        assertTrue(lines.get(lines.size() - 1).contains("gave up after 2 restart(s)"), lines.toString());
    }

    @Test
    void aWorkerClosedByItsSchedulerEndsTheNannyWithStatusZero() throws Exception {
        supervisor("exit 0", 0, 5).start();
        assertEquals(0, finished.get(30, TimeUnit.SECONDS));
        assertEquals(1, count("nanny started worker process"), lines.toString());
    }

    @Test
    void theRestartStatusStartsAFreshWorkerAtOnce() throws Exception {
        Path marker = dir.resolve("ran-once");
        // first run: exit 75 (the scheduler restarted it); second run: exit 0
        supervisor("if [ -e " + marker + " ]; then exit 0; fi; touch " + marker + "; exit 75", 0, 0).start();
        assertEquals(0, finished.get(30, TimeUnit.SECONDS));
        assertEquals(2, count("nanny started worker process"), lines.toString());
        assertEquals(1, count("its scheduler restarted it; starting a fresh one"), lines.toString());
    }

    @Test
    void eachWorkerProcessGetsTheNannysIdInItsEnvironment() throws Exception {
        Path seen = dir.resolve("nanny-id");
        supervisor("printf %s \"$" + WorkerSupervisor.NANNY_ID_ENV + "\" > " + seen + "; exit 0", 0, 0).start();
        assertEquals(0, finished.get(30, TimeUnit.SECONDS));
        assertEquals("nanny-test-1", Files.readString(seen));
    }

    @Test
    void aWorkerOverItsMemoryLimitIsKilledAndRestarted() throws Exception {
        assumeTrue(ProcessMemory.supported(), "no /proc here");
        supervisor("exec sleep 30", 1024, 1).start(); // exec: the kill must reach the process that holds the test's output
        assertEquals(1, finished.get(30, TimeUnit.SECONDS));
        assertEquals(2, count("over its memory limit of 1.0 KiB: killing it"), lines.toString());
        assertEquals(2, count("nanny started worker process"), lines.toString());
    }

    @Test
    void restartWorkerStopsTheRunningProcessAndStartsAFreshOneAtOnce() throws Exception {
        WorkerSupervisor s = supervisor("echo 'worker w at tcp://127.0.0.1:9 joined tcp://s:1'; exec sleep 30", 0, 0);
        s.start();
        awaitTrue(() -> "tcp://127.0.0.1:9".equals(s.workerAddress()));
        long first = s.workerPid();
        s.restartWorker("a test asks");
        awaitTrue(() -> s.workerStarts() == 2 && s.workerPid() > 0 && s.workerPid() != first);
        assertEquals(1, count("restarting worker process " + first + ": a test asks"), lines.toString());
        s.stop();
        assertTrue(ProcessHandle.of(first).map(p -> !p.isAlive()).orElse(true));
        assertTrue(!finished.isDone(), "a stop is not an end of the worker: " + lines);
        assertEquals(-1, s.workerPid());
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            Thread.sleep(20);
        }
    }
}
