package org.weft.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.protocol.TaskRef;
import org.weft.protocol.TaskSpec;

class ClientTest {

    private final FakeConnection conn = new FakeConnection();
    private final Client client = Client.connect(conn);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        client.close();
        pool.shutdownNow();
    }

    /** Runs {@code get()} on another thread, having made sure it is blocked there first. */
    private Future<Object> blockedGet(WeftFuture f) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Future<Object> result = pool.submit(() -> {
            started.countDown();
            return f.get();
        });
        started.await();
        return result;
    }

    private static Throwable cause(Future<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void connectOpensWithAGeneratedId() {
        assertTrue(client.id().matches("client-[0-9a-f]{8}"), client.id());
        assertEquals(client.id(), conn.clientId);
        assertNotEquals(client.id(), Client.connect(new FakeConnection()).id());
    }

    @Test
    void submitSendsOneTaskAndGetGathersOnce() throws Exception {
        WeftFuture f = client.submit("inc", 1);

        TaskSpec sent = conn.lastTask();
        assertTrue(f.key().startsWith("inc-") && f.key().length() > "inc-".length(), f.key());
        assertEquals(new TaskSpec(f.key(), "inc", List.of(1)), sent);
        assertEquals(Set.of(f.key()), conn.updates.get(0).wanted());
        assertEquals(FutureStatus.PENDING, f.status());
        assertFalse(f.isDone());

        Future<Object> waiter = blockedGet(f);
        conn.finish(f.key(), 2L);

        assertEquals(2L, waiter.get(10, TimeUnit.SECONDS));
        assertEquals(2L, f.get());
        assertEquals(FutureStatus.FINISHED, f.status());
        assertEquals(List.of(List.of(f.key())), conn.gathers, "gathered once, then cached");
    }

    @Test
    void keysAreUnique() {
        assertNotEquals(client.submit("inc", 1).key(), client.submit("inc", 1).key());
    }

    @Test
    void futuresInArgumentsBecomeRefsAtAnyDepth() {
        WeftFuture a = client.submit("inc", 1);
        WeftFuture b = client.submit("combine", a, List.of(1, a), Map.of("k", a), null);

        TaskRef ref = new TaskRef(a.key());
        assertEquals(Arrays.asList(ref, List.of(1, ref), Map.of("k", ref), null), conn.lastTask().args());
        assertEquals(Set.of(a.key()), conn.lastTask().dependencies());
        assertEquals(Set.of(b.key()), conn.updates.get(1).wanted());
    }

    @Test
    void submitWithOptionsUsesTheKeyAndRetries() {
        WeftFuture f = client.submit(TaskOptions.key("total").withRetries(2), "sum", 1, 2);

        assertEquals("total", f.key());
        assertEquals(new TaskSpec("total", "sum", List.of(1, 2), 2), conn.lastTask());
        assertTrue(client.submit(TaskOptions.retries(1), "inc").key().startsWith("inc-"));
        assertThrows(IllegalArgumentException.class, () -> TaskOptions.retries(-1));
    }

    @Test
    void resubmittingAPendingKeySharesItsState() {
        WeftFuture first = client.submit(TaskOptions.key("x"), "inc", 1);
        WeftFuture second = client.submit(TaskOptions.key("x"), "inc", 1);
        conn.finish("x", 2L);

        assertEquals(FutureStatus.FINISHED, first.status());
        assertEquals(FutureStatus.FINISHED, second.status());
    }

    @Test
    void mapSendsOneGraphWithIndexedKeys() {
        WeftFuture seed = client.submit("inc", 0);
        List<WeftFuture> fs = client.map("square", List.of(1, 2, seed));

        assertEquals(2, conn.updates.size());
        FakeConnection.Update update = conn.updates.get(1);
        String prefix = fs.get(0).key().substring(0, fs.get(0).key().length() - 1);
        assertTrue(prefix.startsWith("square-") && prefix.endsWith("-"), prefix);
        assertEquals(List.of(prefix + 0, prefix + 1, prefix + 2), fs.stream().map(WeftFuture::key).toList());
        assertEquals(List.of(
                new TaskSpec(prefix + 0, "square", List.of(1)),
                new TaskSpec(prefix + 1, "square", List.of(2)),
                new TaskSpec(prefix + 2, "square", List.of(new TaskRef(seed.key())))), update.tasks());
        assertEquals(Set.copyOf(fs.stream().map(WeftFuture::key).toList()), update.wanted());
    }

    @Test
    void computeSendsTheGraphInOneUpdate() {
        WeftFuture a = client.submit("inc", 1);
        Graph g = Graph.builder()
                .task("b", "add", a, 10)
                .task("c", "add", new TaskRef("b"), 1)
                .task("d", "inc", 0)
                .retries("c", 2)
                .build();

        Map<String, WeftFuture> fs = client.compute(g);

        assertEquals(List.of("c", "d"), List.copyOf(fs.keySet()));
        assertEquals(2, conn.updates.size());
        assertEquals(g.tasks(), conn.updates.get(1).tasks());
        assertEquals(Set.of("c", "d"), conn.updates.get(1).wanted());
        conn.finish("c", 12L);
        assertEquals(12L, fs.get("c").get());
    }

    @Test
    void gatherFetchesEveryMissingValueInOneCallInOrder() {
        List<WeftFuture> fs = client.map("inc", List.of(1, 2, 3));
        conn.finish(fs.get(1).key(), 3L);
        assertEquals(3L, fs.get(1).get()); // cached now
        conn.gathers.clear();
        conn.finish(fs.get(2).key(), 4L);
        conn.finish(fs.get(0).key(), 2L);

        List<WeftFuture> asked = List.of(fs.get(2), fs.get(0), fs.get(1), fs.get(2));
        assertEquals(List.of(4L, 2L, 3L, 4L), client.gather(asked));
        assertEquals(List.of(List.of(fs.get(2).key(), fs.get(0).key())), conn.gathers);
        assertEquals(List.of(), client.gather(List.of()));
    }

    @Test
    void gatherWaitsForPendingFutures() throws Exception {
        List<WeftFuture> fs = client.map("inc", List.of(1, 2));
        CountDownLatch started = new CountDownLatch(1);
        Future<List<Object>> result = pool.submit(() -> {
            started.countDown();
            return client.gather(fs);
        });
        started.await();
        conn.finish(fs.get(0).key(), 2L);
        conn.finish(fs.get(1).key(), 3L);

        assertEquals(List.of(2L, 3L), result.get(10, TimeUnit.SECONDS));
    }

    @Test
    void gatherThrowsTheFirstFailureInOrderWithoutWaitingForTheRest() {
        List<WeftFuture> fs = client.map("inc", List.of(1, 2, 3, 4));
        conn.listener.keyErred(fs.get(3).key(), "boom 3", "tb", fs.get(3).key());
        conn.listener.keyErred(fs.get(1).key(), "boom 1", "tb", "upstream");
        // fs[0] and fs[2] stay pending

        TaskFailedException e = assertThrows(TaskFailedException.class, () -> client.gather(fs));
        assertEquals(fs.get(1).key(), e.key());
        assertEquals("upstream", e.blamedKey());
        assertTrue(conn.gathers.isEmpty());
    }

    @Test
    void gatherTimesOut() {
        WeftFuture f = client.submit("slow");
        assertThrows(WeftTimeoutException.class, () -> client.gather(List.of(f), 20, TimeUnit.MILLISECONDS));
    }

    @Test
    void erredKeyThrowsTaskFailedException() throws Exception {
        WeftFuture a = client.submit(TaskOptions.key("a"), "div", 1, 0);
        WeftFuture b = client.submit(TaskOptions.key("b"), "add", a, 10);
        Future<Object> waiter = blockedGet(b);

        conn.listener.keyErred("b", "/ by zero", "java.lang.ArithmeticException: / by zero\n\tat Div", "a");

        TaskFailedException e = (TaskFailedException) cause(waiter);
        assertEquals("b", e.key());
        assertEquals("a", e.blamedKey());
        assertEquals("/ by zero", e.exceptionText());
        assertTrue(e.traceback().contains("ArithmeticException"));
        assertEquals("task 'b' failed: blamed key 'a': / by zero", e.getMessage());
        assertEquals(FutureStatus.ERROR, b.status());
        assertEquals(FutureStatus.PENDING, a.status());

        conn.listener.keyErred("a", "/ by zero", null, "a");
        assertEquals("task 'a' failed: / by zero",
                assertThrows(TaskFailedException.class, a::get).getMessage());
    }

    @Test
    void rejectedGraphThrowsAtOnceAndChangesNothing() {
        WeftFuture existing = client.submit(TaskOptions.key("x"), "inc", 1);
        conn.rejectWith = "unknown function 'nope'";

        GraphRejectedException e = assertThrows(GraphRejectedException.class, () -> client.submit("nope", 1));
        assertEquals("unknown function 'nope'", e.reason());
        assertEquals("graph rejected: unknown function 'nope'", e.getMessage());
        assertThrows(GraphRejectedException.class, () -> client.map("nope", List.of(1)));
        assertThrows(GraphRejectedException.class,
                () -> client.compute(Graph.builder().task("x", "nope").task("y", "nope").build()));
        assertThrows(GraphRejectedException.class, () -> client.submit(TaskOptions.key("x"), "nope"));

        assertEquals(FutureStatus.PENDING, existing.status(), "a rejected graph changes nothing");
        conn.finish("x", 2L);
        assertEquals(2L, existing.get());
    }

    @Test
    void rejectedGraphFailsTheFuturesOfThatSubmission() throws Exception {
        CompletableFuture<Void> verdict = new CompletableFuture<>();
        conn.pendingUpdate = verdict;
        Future<Map<String, WeftFuture>> submission = pool.submit(
                () -> client.compute(Graph.builder().task("p", "inc", 1).task("q", "inc", new TaskRef("p")).build()));
        waitFor(() -> conn.updates.size() == 1);

        verdict.completeExceptionally(new IllegalArgumentException("cycle"));
        assertEquals("cycle", ((GraphRejectedException) cause(submission)).reason());

        conn.pendingUpdate = null;
        WeftFuture again = client.submit(TaskOptions.key("q"), "inc", 1);
        assertEquals(FutureStatus.PENDING, again.status(), "a fresh state, not the rejected one");
    }

    @Test
    void cancelReleasesTheKeyAndWakesWaiters() throws Exception {
        WeftFuture f = client.submit("slow");
        Future<Object> waiter = blockedGet(f);
        List<Object> toCompletable = new ArrayList<>();
        f.toCompletableFuture().whenComplete((v, e) -> toCompletable.add(e));

        assertTrue(f.cancel());

        assertTrue(cause(waiter) instanceof CancellationException);
        assertEquals(FutureStatus.CANCELLED, f.status());
        assertEquals(List.of(List.of(f.key())), conn.released);
        assertTrue(toCompletable.get(0) instanceof CancellationException);
        assertThrows(CancellationException.class, f::get);
        assertFalse(f.cancel(), "already cancelled");
        assertEquals(1, conn.released.size());

        conn.listener.keyInMemory(f.key());
        assertEquals(FutureStatus.CANCELLED, f.status(), "late news changes nothing");
    }

    @Test
    void cancelOfAFinishedFutureCancelsItAsDaskDoes() {
        WeftFuture f = client.submit("inc", 1);
        conn.finish(f.key(), 2L);
        assertEquals(2L, f.get());

        assertTrue(f.cancel());
        assertEquals(FutureStatus.CANCELLED, f.status());
        assertEquals(List.of(List.of(f.key())), conn.released);
        KeyCancelledException e = assertThrows(KeyCancelledException.class, f::get);
        assertEquals("cancelled", e.reason());
        assertThrows(KeyCancelledException.class, () -> f.toCompletableFuture().get());
        assertFalse(f.cancel(), "already cancelled");
    }

    @Test
    void aRestartCancelsPendingAndFinishedFuturesWithItsReason() {
        WeftFuture pending = client.submit("inc", 1);
        WeftFuture finished = client.submit("inc", 2);
        conn.finish(finished.key(), 3L);

        conn.listener.keyForgotten(pending.key(), "restart");
        conn.listener.keyForgotten(finished.key(), "restart");

        assertEquals(FutureStatus.CANCELLED, pending.status());
        assertEquals(FutureStatus.CANCELLED, finished.status());
        KeyCancelledException e = assertThrows(KeyCancelledException.class, pending::get);
        assertEquals("restart", e.reason());
        assertEquals(pending.key(), e.key());
        assertEquals("key '" + pending.key() + "' was cancelled (restart)", e.getMessage());
        assertEquals("restart", assertThrows(KeyCancelledException.class, finished::get).reason());
    }

    @Test
    void releaseDropsKeysInOneCall() {
        List<WeftFuture> fs = client.map("inc", List.of(1, 2));
        conn.finish(fs.get(0).key(), 2L);
        assertEquals(2L, fs.get(0).get());

        client.release(fs);

        assertEquals(List.of(List.of(fs.get(0).key(), fs.get(1).key())), conn.released);
        assertEquals(FutureStatus.FINISHED, fs.get(0).status());
        assertEquals(2L, fs.get(0).get(), "a gathered value stays");
        assertEquals(FutureStatus.CANCELLED, fs.get(1).status());
    }

    @Test
    void forgottenKeyIsLostUnlessDone() {
        WeftFuture pending = client.submit("inc", 1);
        WeftFuture finished = client.submit("inc", 2);
        conn.finish(finished.key(), 3L);

        conn.listener.keyForgotten(pending.key(), "worker died, no retries left");
        conn.listener.keyForgotten(finished.key(), "released");

        assertEquals(FutureStatus.LOST, pending.status());
        KeyLostException e = assertThrows(KeyLostException.class, pending::get);
        assertEquals("worker died, no retries left", e.reason());
        assertEquals(pending.key(), e.key());
        assertEquals(FutureStatus.FINISHED, finished.status());
    }

    @Test
    void connectionLostLosesPendingFuturesAndRefusesNewWork() {
        WeftFuture pending = client.submit("inc", 1);
        WeftFuture finished = client.submit("inc", 2);
        conn.finish(finished.key(), 3L);
        assertEquals(3L, finished.get());

        conn.listener.connectionLost("scheduler stopped");

        assertEquals(FutureStatus.LOST, pending.status());
        assertEquals("scheduler stopped", assertThrows(KeyLostException.class, pending::get).reason());
        assertEquals(3L, finished.get(), "cached values survive");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.submit("inc", 1));
        assertEquals("connection lost: scheduler stopped", e.getMessage());
    }

    @Test
    void closeFailsPendingFuturesAndClosesTheConnectionOnce() throws Exception {
        WeftFuture f = client.submit("slow");
        Future<Object> waiter = blockedGet(f);

        client.close();
        client.close();

        assertEquals("client closed", ((KeyLostException) cause(waiter)).reason());
        assertEquals(FutureStatus.LOST, f.status());
        assertEquals(1, conn.closes);
        assertThrows(IllegalStateException.class, () -> client.submit("inc", 1));
    }

    @Test
    void closeWhileSubmittingFailsTheSubmission() throws Exception {
        conn.pendingUpdate = new CompletableFuture<>();
        Future<WeftFuture> submission = pool.submit(() -> client.submit("inc", 1));
        waitFor(() -> conn.updates.size() == 1);

        client.close();

        assertTrue(cause(submission) instanceof IllegalStateException);
    }

    @Test
    void getTimesOutWithoutChangingTheFuture() {
        WeftFuture f = client.submit("slow");
        WeftTimeoutException e = assertThrows(WeftTimeoutException.class, () -> f.get(20, TimeUnit.MILLISECONDS));
        assertTrue(e.getMessage().contains(f.key()), e.getMessage());
        assertEquals(FutureStatus.PENDING, f.status());
    }

    @Test
    void interruptedGetRestoresTheFlag() {
        WeftFuture f = client.submit("slow");
        Thread.currentThread().interrupt();
        WeftException e = assertThrows(WeftException.class, f::get);
        assertTrue(Thread.interrupted(), "flag restored (and cleared here)");
        assertTrue(e.getCause() instanceof InterruptedException);
    }

    @Test
    void valueThatCannotBeGatheredFailsAndIsNotCached() {
        WeftFuture f = client.submit("inc", 1);
        conn.listener.keyInMemory(f.key()); // but no value in the fake

        WeftException e = assertThrows(WeftException.class, f::get);
        assertTrue(e.getMessage().startsWith("could not gather key '" + f.key() + "'"), e.getMessage());

        conn.values.put(f.key(), 2L);
        assertEquals(2L, f.get());
    }

    @Test
    void toCompletableFutureAndOnDone() throws Exception {
        WeftFuture f = client.submit("inc", 1);
        CompletableFuture<Object> cf = f.toCompletableFuture();
        AtomicInteger callbacks = new AtomicInteger();
        f.onDone(callbacks::incrementAndGet);
        assertFalse(cf.isDone());

        conn.finish(f.key(), 2L);

        assertEquals(2L, cf.get(10, TimeUnit.SECONDS));
        assertEquals(1, callbacks.get());
        f.onDone(callbacks::incrementAndGet);
        assertEquals(2, callbacks.get(), "runs at once when already done");
        cf.complete("ignored");
        assertEquals(2L, f.toCompletableFuture().get());
    }

    @Test
    void progressReportsCountsAndAwaits() {
        List<WeftFuture> fs = client.map("inc", List.of(1, 2, 3));
        conn.finish(fs.get(0).key(), 2L);
        List<String> calls = Collections.synchronizedList(new ArrayList<>());

        Progress p = client.progress(fs, (done, erred, total) -> calls.add(done + "/" + erred + "/" + total));
        assertEquals(List.of("1/0/3"), calls);
        assertFalse(p.await(10, TimeUnit.MILLISECONDS));

        conn.listener.keyErred(fs.get(1).key(), "boom", null, fs.get(1).key());
        fs.get(2).cancel();

        p.await();
        assertTrue(p.isComplete());
        assertEquals(List.of("1/0/3", "1/1/3", "1/2/3"), calls);
        assertEquals(1, p.done());
        assertEquals(1, p.erred());
        assertEquals(1, p.cancelled());
        assertEquals(3, p.total());
    }

    @Test
    void theProgressBarCountsACancelledKeyApartFromErredOnes() {
        List<WeftFuture> fs = client.map("inc", List.of(1, 2, 3));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = client.progress(fs, new ProgressBar(new PrintStream(bytes, true), false));
        conn.finish(fs.get(0).key(), 2L);
        conn.listener.keyErred(fs.get(1).key(), "boom", null, fs.get(1).key());
        fs.get(2).cancel();

        assertTrue(p.await(1, TimeUnit.SECONDS));
        assertEquals(FutureStatus.CANCELLED, fs.get(2).status());
        String last = bytes.toString().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("100% 3/3 tasks"), last);
        assertTrue(last.endsWith("  1 erred  1 cancelled"), last);
    }

    @Test
    void twoProgressesOverTheSameKeysBothCountEveryKey() {
        List<WeftFuture> fs = client.map("inc", List.of(1, 2, 3));
        List<String> first = Collections.synchronizedList(new ArrayList<>());
        List<String> second = Collections.synchronizedList(new ArrayList<>());
        Progress p1 = client.progress(fs, (done, erred, total) -> first.add(done + "/" + erred));
        Progress p2 = client.progress(fs, (done, erred, total) -> second.add(done + "/" + erred));
        AtomicInteger onDone = new AtomicInteger();
        fs.forEach(f -> f.onDone(onDone::incrementAndGet));

        conn.finish(fs.get(0).key(), 2L);
        conn.listener.keyErred(fs.get(1).key(), "boom", null, fs.get(1).key());
        conn.finish(fs.get(2).key(), 4L);

        assertTrue(p1.await(1, TimeUnit.SECONDS));
        assertTrue(p2.await(1, TimeUnit.SECONDS));
        assertEquals(List.of("0/0", "1/0", "1/1", "2/1"), first);
        assertEquals(first, second);
        assertEquals(3, onDone.get());
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheCountNorTheKeys() {
        List<WeftFuture> fs = client.map("inc", List.of(1, 2));
        Progress p = client.progress(fs, (done, erred, total) -> {
            if (done > 0) {
                throw new IllegalStateException("listener bug");
            }
        });
        conn.finish(fs.get(0).key(), 2L);
        conn.finish(fs.get(1).key(), 3L);
        assertTrue(p.await(1, TimeUnit.SECONDS));
        assertEquals(2, p.done());
        assertEquals(List.of(2L, 3L), client.gather(fs));
    }

    @Test
    void callbacksFromManyThreads() throws Exception {
        int n = 2_000;
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(i);
        }
        List<WeftFuture> fs = client.map("inc", items);
        AtomicInteger maxSeen = new AtomicInteger();
        Progress p = client.progress(fs, (done, erred, total) -> {
            if (done < maxSeen.get()) {
                throw new AssertionError("counts went down");
            }
            maxSeen.set(done);
        });

        List<Future<?>> firing = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int offset = t;
            firing.add(pool.submit(() -> {
                for (int i = offset; i < n; i += 8) {
                    conn.finish(fs.get(i).key(), (long) i + 1);
                }
            }));
        }
        for (Future<?> f : firing) {
            f.get(10, TimeUnit.SECONDS);
        }

        assertTrue(p.await(10, TimeUnit.SECONDS));
        assertEquals(n, maxSeen.get());
        List<Object> values = client.gather(fs);
        for (int i = 0; i < n; i++) {
            assertEquals((long) i + 1, values.get(i));
        }
        assertEquals(1, conn.gathers.size());
    }

    @Test
    void foreignFuturesAreRefusedWhereTheirStateIsNeeded() {
        try (Client other = Client.connect(new FakeConnection())) {
            WeftFuture theirs = other.submit("inc", 1);
            assertThrows(IllegalArgumentException.class, () -> client.gather(List.of(theirs)));
            assertThrows(IllegalArgumentException.class, () -> client.release(List.of(theirs)));
            // as an argument it is just a reference to a key the scheduler knows
            WeftFuture mine = client.submit("inc", theirs);
            assertEquals(List.of(new TaskRef(theirs.key())), conn.lastTask().args());
            assertSame(FutureStatus.PENDING, mine.status());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.onSpinWait();
        }
    }
}
