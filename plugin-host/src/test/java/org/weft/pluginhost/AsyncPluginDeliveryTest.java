package org.weft.pluginhost;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.pluginhost.Fixtures.statusOf;
import static org.weft.pluginhost.Fixtures.transition;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.Delivery;
import org.weft.plugin.api.Overflow;
import org.weft.plugin.api.PluginOptions;

class AsyncPluginDeliveryTest {

    private final SchedulerPluginHost host = new SchedulerPluginHost(Fixtures.schedulerView(),
            PluginHostConfig.DEFAULTS.withMaxConsecutiveFailures(3));
    private final String loop = Thread.currentThread().getName();

    private static PluginOptions async(String name, int capacity, Overflow overflow) {
        return PluginOptions.named(name).delivery(Delivery.async(capacity, overflow));
    }

    @Test
    void blockLosesNothingKeepsOrderAndClosesAfterTheLastEvent() throws Exception {
        SlowRecorder p = new SlowRecorder("a");
        host.add(p, async("a", 4, Overflow.BLOCK), PluginOrigin.CODE);

        List<String> sent = IntStream.range(0, 500).mapToObj(i -> "k" + i).toList();
        sent.forEach(k -> host.transition(transition(k)));
        host.remove("a");

        assertEquals(sent, p.keys());
        assertEquals("a:start:" + loop, p.journal.get(0));
        assertEquals("a:close:" + loop, p.journal.get(p.journal.size() - 1), "close on the loop, after the last event");
        assertTrue(p.threads.stream().allMatch("weft-plugin-a"::equals), "events on the plugin's own thread");
        PluginStatus s = statusOf(host.status(), "a", PluginState.CLOSED);
        assertEquals(500, s.calls());
        assertEquals(0, s.dropped());
    }

    @Test
    void dropCountsWhatDidNotFitAndShowsIt() throws Exception {
        GatedPlugin p = new GatedPlugin("d");
        host.add(p, async("d", 2, Overflow.DROP), PluginOrigin.CODE);

        host.transition(transition("k0"));
        assertTrue(p.entered.await(10, TimeUnit.SECONDS), "the thread took k0 and waits at the gate");
        IntStream.range(1, 10).forEach(i -> host.transition(transition("k" + i)));

        PluginStatus s = statusOf(host.status(), "d", PluginState.ACTIVE);
        assertEquals(7, s.dropped(), "2 fit in the queue behind k0, 7 did not");
        assertEquals(Delivery.async(2, Overflow.DROP), s.delivery());

        p.gate.countDown();
        host.remove("d");
        assertEquals(List.of("k0", "k1", "k2"), p.keys());
        assertEquals(7, statusOf(host.status(), "d", PluginState.CLOSED).dropped());
    }

    @Test
    void dropOnlyCountsAndIsReportedAtABoundedRateWithExactCounts() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        SchedulerPluginHost timed = new SchedulerPluginHost(Fixtures.schedulerView(), PluginHostConfig.DEFAULTS, clock::get);
        GatedPlugin p = new GatedPlugin("d");
        timed.add(p, async("d", 2, Overflow.DROP), PluginOrigin.CODE);
        timed.transition(transition("k0"));
        assertTrue(p.entered.await(10, TimeUnit.SECONDS), "the thread took k0 and waits at the gate");

        IntStream.range(1, 10_001).forEach(i -> timed.transition(transition("k" + i)));
        assertEquals(List.of("scheduler plugin 'd' dropped 9998 event(s): queue full (capacity 2, DROP); 9998 dropped in all"),
                timed.reportDrops(clock.get()), "2 fit behind k0; the rest reported in one line");
        for (int second = 1; second < 10; second++) {
            IntStream.range(0, 1_000).forEach(i -> timed.transition(transition("more")));
            assertEquals(List.of(), timed.reportDrops(clock.addAndGet(1_000)), "at most one line per 10 s");
        }
        IntStream.range(0, 1_000).forEach(i -> timed.transition(transition("more")));
        assertEquals(List.of("scheduler plugin 'd' dropped 10000 event(s) in the last 10 s: queue full (capacity 2, DROP);"
                + " 19998 dropped in all"), timed.reportDrops(clock.addAndGet(1_000)));
        assertEquals(List.of(), timed.reportDrops(clock.addAndGet(60_000)), "nothing new, nothing logged");

        p.gate.countDown();
        timed.remove("d");
        PluginStatus s = statusOf(timed.status(), "d", PluginState.CLOSED);
        assertEquals(19_998, s.dropped());
        assertEquals(3, s.calls(), "k0 and the two queued behind it");
    }

    @Test
    void blockMakesTheLoopWaitForRoom() throws Exception {
        GatedPlugin p = new GatedPlugin("b");
        host.add(p, async("b", 1, Overflow.BLOCK), PluginOrigin.CODE);
        host.transition(transition("k0"));
        assertTrue(p.entered.await(10, TimeUnit.SECONDS));
        host.transition(transition("k1"));

        Thread producer = new Thread(() -> host.transition(transition("k2")), "fake-loop");
        producer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.getState() == Thread.State.TIMED_WAITING);
        assertTrue(producer.isAlive(), "the loop waits while the queue is full");

        p.gate.countDown();
        producer.join(TimeUnit.SECONDS.toMillis(10));
        host.remove("b");
        assertEquals(List.of("k0", "k1", "k2"), p.keys());
    }

    @Test
    void hookExceptionsOnTheAsyncThreadAreHandledLikeSyncOnes() throws Exception {
        FailingPlugin bad = new FailingPlugin();
        CountingPlugin good = new CountingPlugin();
        host.add(bad, async("bad", 16, Overflow.BLOCK), PluginOrigin.CODE);
        host.add(good, PluginOptions.named("good"), PluginOrigin.CODE);

        IntStream.range(0, 10).forEach(i -> host.transition(transition("k" + i)));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> host.status().get(0).state() == PluginState.FAILED);
        PluginStatus s = statusOf(host.status(), "bad", PluginState.FAILED);
        assertEquals(3, s.errors());
        assertEquals(10, good.transitions.get());
        host.remove("bad");
        assertEquals(3, bad.transitions.get());
        assertEquals(1, bad.closes.get());
    }

    /** Records like RecordingPlugin, slowly enough that a small BLOCK queue fills up. */
    static final class SlowRecorder extends RecordingPlugin {
        SlowRecorder(String tag) {
            super(tag);
        }

        @Override
        public void transition(org.weft.plugin.api.TransitionEvent event) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            super.transition(event);
        }
    }
}
