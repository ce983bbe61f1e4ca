package org.weft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class EventLoopTest {

    @Test
    void runsWorkInOrderAndFlushesAfterEachBatch() throws Exception {
        List<Integer> seen = new ArrayList<>(); // loop only
        AtomicInteger flushes = new AtomicInteger();
        EventLoop loop = new EventLoop("test-loop", flushes::incrementAndGet);
        loop.start();
        for (int i = 0; i < 100_000; i++) {
            int n = i;
            loop.execute(() -> seen.add(n));
        }
        assertEquals(100_000, loop.call(seen::size).get(10, TimeUnit.SECONDS));
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i));
        }
        assertTrue(flushes.get() >= 1);
        loop.close();
    }

    @Test
    void runHereRunsOnTheCallerWhenTheLoopIsIdle() throws Exception {
        Set<Thread> flushedOn = ConcurrentHashMap.newKeySet();
        EventLoop loop = new EventLoop("test-loop", () -> flushedOn.add(Thread.currentThread()), () -> true);
        loop.start();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicBoolean inLoop = new AtomicBoolean();
        runHereOnceIdle(loop, ranOn, () -> inLoop.set(loop.inLoop()));
        assertSame(Thread.currentThread(), ranOn.get(), "ran on the calling thread");
        assertTrue(inLoop.get(), "the caller holds the loop while running its work");
        assertTrue(flushedOn.contains(Thread.currentThread()), "and flushed the batch it ran");
        assertFalse(loop.inLoop());
        loop.close();
    }

    @Test
    void workQueuedWhileRunningHereIsRunHereTooWithoutWakingTheLoop() throws Exception {
        EventLoop loop = new EventLoop("test-loop", () -> { }, () -> true);
        loop.start();
        AtomicReference<Thread> followUpOn = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        runHereOnceIdle(loop, ranOn, () -> loop.execute(() -> followUpOn.set(Thread.currentThread())));
        assertSame(Thread.currentThread(), followUpOn.get(), "the follow-up (e.g. a peer's reply) ran before returning");
        loop.close();
    }

    @Test
    void aThreadHoldingOneLoopMayRunAnIdleOnesWorkAndItsReplyComesBack() throws Exception {
        EventLoop a = new EventLoop("loop-a", () -> { }, () -> true);
        EventLoop b = new EventLoop("loop-b", () -> { }, () -> true);
        a.start();
        b.start();
        a.call(() -> null).get(10, TimeUnit.SECONDS);
        b.call(() -> null).get(10, TimeUnit.SECONDS);
        List<String> seen = new ArrayList<>(); // a's work only
        CountDownLatch replied = new CountDownLatch(1);
        a.runHereOrExecute(() -> b.runHereOrExecute(() -> a.execute(() -> {
            seen.add("reply on " + a.inLoop());
            replied.countDown();
        })));
        assertTrue(replied.await(10, TimeUnit.SECONDS)); // b's part may have gone to b's thread
        assertEquals(List.of("reply on true"), a.call(() -> List.copyOf(seen)).get(10, TimeUnit.SECONDS));
        a.close();
        b.close();
    }

    @Test
    void runHereGoesToTheLoopThreadWhenNotAllowed() throws Exception {
        EventLoop loop = new EventLoop("test-loop", () -> { }, () -> false);
        loop.start();
        CompletableRun run = new CompletableRun();
        loop.runHereOrExecute(run);
        assertTrue(run.done.await(10, TimeUnit.SECONDS));
        assertNotSame(Thread.currentThread(), run.thread.get());
        assertEquals("test-loop", run.thread.get().getName());
        loop.close();
    }

    @Test
    void runHereQueuesBehindBusyLoopAndKeepsOrder() throws Exception {
        List<String> seen = new ArrayList<>();
        EventLoop loop = new EventLoop("test-loop", () -> { }, () -> true);
        loop.start();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            busy.countDown();
            await(release);
            seen.add("first");
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        loop.runHereOrExecute(() -> seen.add("second")); // the loop is busy: queued, not run here
        release.countDown();
        assertEquals(List.of("first", "second"), loop.call(() -> List.copyOf(seen)).get(10, TimeUnit.SECONDS));
        loop.close();
    }

    @Test
    void closeRunsWhatIsQueuedAndDropsLaterWork() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        EventLoop loop = new EventLoop("test-loop", () -> { });
        loop.start();
        for (int i = 0; i < 1000; i++) {
            loop.execute(ran::incrementAndGet);
        }
        loop.close();
        assertEquals(1000, ran.get());
        loop.execute(ran::incrementAndGet);
        loop.runHereOrExecute(ran::incrementAndGet);
        assertEquals(1000, ran.get());
        assertTrue(loop.call(() -> 1).isCompletedExceptionally());
    }

    @Test
    void manyProducersNeverStrandWork() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        EventLoop loop = new EventLoop("test-loop", () -> { }, () -> true);
        loop.start();
        int threads = 4;
        int each = 50_000;
        CountDownLatch allRan = new CountDownLatch(threads * each);
        Runnable work = () -> {
            ran.incrementAndGet();
            allRan.countDown();
        };
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean runHere = t % 2 == 0;
            Thread p = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    if (runHere) {
                        loop.runHereOrExecute(work);
                    } else {
                        loop.execute(work);
                    }
                }
            });
            producers.add(p);
            p.start();
        }
        for (Thread p : producers) {
            p.join();
        }
        // nothing here wakes the loop: work left stranded in the queue would never run
        assertTrue(allRan.await(10, TimeUnit.SECONDS), "every piece of work ran, none stranded in the queue");
        assertEquals(threads * each, ran.get());
        loop.close();
    }

    /**
     * Calls runHereOrExecute once the loop is idle: its thread parked, which it does only with the
     * loop let go and nothing queued (the loop thread holds the loop for a moment after completing
     * earlier work). Another try only if the parked thread woke spuriously. Records in
     * {@code ranOn} where the work ran.
     */
    private static void runHereOnceIdle(EventLoop loop, AtomicReference<Thread> ranOn, Runnable work) throws Exception {
        Thread loopThread = loop.call(Thread::currentThread).get(10, TimeUnit.SECONDS);
        for (int attempt = 0; attempt < 10; attempt++) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> loopThread.getState() == Thread.State.WAITING);
            loop.runHereOrExecute(() -> {
                ranOn.set(Thread.currentThread());
                work.run();
            });
            loop.call(() -> null).get(10, TimeUnit.SECONDS);
            if (ranOn.get() == Thread.currentThread()) {
                return;
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class CompletableRun implements Runnable {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Thread> thread = new AtomicReference<>();

        @Override
        public void run() {
            thread.set(Thread.currentThread());
            done.countDown();
        }
    }

    @Test
    void busyTimeGrowsWithWorkAndTheQueueIsCounted() throws Exception {
        EventLoop loop = new EventLoop("test-busy", () -> { }, () -> true);
        CountDownLatch release = new CountDownLatch(1);
        try {
            assertEquals(0, loop.busyNanos());
            loop.execute(() -> { // not started yet: everything waits in the queue
            });
            loop.execute(() -> { });
            assertEquals(2, loop.queueLength());
            loop.start();
            loop.call(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            loop.execute(() -> { });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> loop.queueLength() == 1);
            release.countDown();
            loop.call(() -> null).get(10, TimeUnit.SECONDS);
            long afterLoopThread = loop.busyNanos();
            assertTrue(afterLoopThread > 0, "the loop thread's batches are timed");
            assertEquals(0, loop.queueLength());
            loop.runHereOrExecute(() -> { });
            loop.call(() -> null).get(10, TimeUnit.SECONDS);
            assertTrue(loop.busyNanos() > afterLoopThread, "later work adds to it");
        } finally {
            release.countDown();
            loop.close();
        }
    }
}
