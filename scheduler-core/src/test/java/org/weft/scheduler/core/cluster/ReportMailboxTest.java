package org.weft.scheduler.core.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.node.SchedulerInstruction;

/** Reports reach the client in order, all of them, in batches: one delivery per interval, not per loop turn. */
class ReportMailboxTest {

    /** Counts the deliveries scheduled. */
    private static final class CountingExecutor extends ScheduledThreadPoolExecutor {
        final AtomicInteger scheduled = new AtomicInteger();

        CountingExecutor() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            scheduled.incrementAndGet();
            return super.schedule(command, delay, unit);
        }
    }

    private final CountingExecutor delivery = new CountingExecutor();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final ReportMailbox mailbox = new ReportMailbox(delivery, reports -> {
        for (SchedulerInstruction r : reports) {
            delivered.add(((SchedulerInstruction.ReportMemory) r).key());
        }
    });

    @AfterEach
    void stop() {
        delivery.shutdownNow();
    }

    private static List<SchedulerInstruction> turn(int i) {
        return List.of(new SchedulerInstruction.ReportMemory("client", "a-" + i),
                new SchedulerInstruction.ReportMemory("client", "b-" + i));
    }

    private static List<String> expected(int turns) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            out.add("a-" + i);
            out.add("b-" + i);
        }
        return out;
    }

    @Test
    void everyReportArrivesInOrder() throws Exception {
        for (int i = 0; i < 5_000; i++) {
            mailbox.send(turn(i));
            if (i % 1000 == 0) { // some deliveries in between: wait for this one
                int sent = 2 * (i + 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == sent);
            }
        }
        delivery.shutdown(); // delayed deliveries still run
        assertTrue(delivery.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(expected(5_000), delivered);
    }

    @Test
    void turnsThatArriveWhileADeliveryIsPendingGoWithIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        delivery.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int before = delivery.scheduled.get(); // execute() schedules too
        for (int i = 0; i < 100; i++) {
            mailbox.send(turn(i));
        }
        assertEquals(before + 1, delivery.scheduled.get(), "one delivery for the 100 turns sent while it was pending");
        release.countDown();
        delivery.shutdown();
        assertTrue(delivery.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(expected(100), delivered);
    }

    @Test
    void aTurnAfterADeliverySchedulesTheNext() throws Exception {
        mailbox.send(turn(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 2);
        mailbox.send(turn(1));
        delivery.shutdown();
        assertTrue(delivery.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(expected(2), delivered);
        assertEquals(2, delivery.scheduled.get());
    }

    @Test
    void aDeliveryThatThrowsDoesNotHoldUpTheBatchesAfterIt() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        ReportMailbox failingFirst = new ReportMailbox(delivery, reports -> {
            String key = ((SchedulerInstruction.ReportMemory) reports.get(0)).key();
            if (key.equals("a-0")) {
                throw new IllegalStateException("a client callback failed");
            }
            got.add(key);
        });
        delivery.execute(() -> { // hold the delivery thread so all three turns go in one drain
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 3; i++) {
            failingFirst.send(turn(i));
        }
        release.countDown();
        delivery.shutdown();
        assertTrue(delivery.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(List.of("a-1", "a-2"), got);
    }
}
