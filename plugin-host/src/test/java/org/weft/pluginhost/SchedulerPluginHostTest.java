package org.weft.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.pluginhost.Fixtures.statusOf;
import static org.weft.pluginhost.Fixtures.transition;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.weft.plugin.api.Delivery;
import org.weft.plugin.api.DownscalingRequest;
import org.weft.plugin.api.PluginOptions;
import org.weft.plugin.api.SchedulerPlugin;
import org.weft.plugin.api.WorkerEvent;

class SchedulerPluginHostTest {

    private final SchedulerPluginHost host = new SchedulerPluginHost(Fixtures.schedulerView(), PluginHostConfig.DEFAULTS);
    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final String loop = Thread.currentThread().getName();

    private Registration add(SchedulerPlugin p, String name) throws PluginStartException {
        return host.add(p, PluginOptions.named(name), PluginOrigin.CODE);
    }

    @Test
    void newNameIsStartedOnTheLoopThreadBeforeItsFirstEvent() throws Exception {
        assertTrue(host.isEmpty());
        host.transition(transition("before"));

        assertEquals(Registration.ADDED, add(new RecordingPlugin("a", journal), "a"));
        host.transition(transition("k1"));
        host.addWorker(new WorkerEvent("w1", 2, "s1"));

        assertEquals(List.of("a:start:" + loop, "a:transition:k1", "a:addWorker:w1"), journal);
        assertFalse(host.isEmpty());
        assertEquals(Set.of("a"), host.names());
    }

    @Test
    void idempotentNewcomerIsIgnoredAndNotStarted() throws Exception {
        add(new RecordingPlugin("old", journal), "p");
        RecordingPlugin newcomer = new RecordingPlugin("new", journal);

        Registration r = host.add(newcomer, PluginOptions.named("p").idempotent(true), PluginOrigin.CODE);
        host.transition(transition("k"));

        assertEquals(Registration.IGNORED_IDEMPOTENT, r);
        assertEquals(List.of("old:start:" + loop, "old:transition:k"), journal);
    }

    @Test
    void nonIdempotentNewcomerReplacesBetweenTwoEvents() throws Exception {
        add(new RecordingPlugin("old", journal), "p");
        host.transition(transition("k1"));

        Registration r = add(new RecordingPlugin("new", journal), "p");
        host.transition(transition("k2"));

        assertEquals(Registration.REPLACED, r);
        assertEquals(List.of("old:start:" + loop, "old:transition:k1", "old:close:" + loop,
                "new:start:" + loop, "new:transition:k2"), journal);
        assertEquals(Set.of("p"), host.names());
        assertEquals(PluginState.CLOSED, statusOf(host.status(), "p", PluginState.CLOSED).state());
        assertEquals(1, statusOf(host.status(), "p", PluginState.ACTIVE).calls());
    }

    @Test
    void removeClosesAfterTheLastEvent() throws Exception {
        add(new RecordingPlugin("a", journal), "a");
        host.transition(transition("k1"));

        host.remove("a");
        host.transition(transition("k2"));

        assertEquals(List.of("a:start:" + loop, "a:transition:k1", "a:close:" + loop), journal);
        assertTrue(host.isEmpty());
        assertEquals(Set.of(), host.names());
        assertEquals(1, statusOf(host.status(), "a", PluginState.CLOSED).calls());
    }

    @Test
    void removingAnUnknownNameIsAClearError() throws Exception {
        add(new CountingPlugin(), "counter");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> host.remove("x"));

        assertEquals("no scheduler plugin named 'x'; plugins: [counter]", e.getMessage());
    }

    @Test
    void startThatThrowsMeansNotAddedAndTheCallerGetsTheError() {
        FailingPlugin p = FailingPlugin.failingStart();

        PluginStartException e = assertThrows(PluginStartException.class, () -> add(p, "bad"));
        host.transition(transition("k"));

        assertEquals("bad", e.pluginName());
        assertTrue(e.getMessage().contains("'bad'") && e.getMessage().contains("start refused on purpose"),
                e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(0, p.transitions.get());
        assertTrue(host.isEmpty());
        assertEquals(Set.of(), host.names());
        assertTrue(host.status().isEmpty(), "a plugin added in code is reported to its caller only");
    }

    @Test
    void bundlePluginWhoseStartThrowsIsShownFailedWithTheCause() {
        PluginOrigin bundle = new PluginOrigin("org.example.plugins", "1.2.0", 42);

        assertThrows(PluginStartException.class,
                () -> host.add(FailingPlugin.failingStart(), PluginOptions.named("bad"), bundle));

        PluginStatus s = statusOf(host.status(), "bad", PluginState.FAILED);
        assertEquals("org.example.plugins", s.bundle());
        assertTrue(s.failure().contains("start refused on purpose"), s.failure());
        assertEquals(Set.of(), host.names());
    }

    @Test
    void replacementWhoseStartThrowsLeavesTheOldOneClosed() throws Exception {
        CountingPlugin old = new CountingPlugin();
        add(old, "p");

        assertThrows(PluginStartException.class, () -> add(FailingPlugin.failingStart(), "p"));
        host.transition(transition("k"));

        assertEquals(1, old.closes.get());
        assertEquals(0, old.transitions.get());
        assertTrue(host.isEmpty());
    }

    @Test
    void aHookThatAlwaysThrowsIsSetFailedAfterNAndOthersCarryOn() throws Exception {
        SchedulerPluginHost h = new SchedulerPluginHost(Fixtures.schedulerView(),
                PluginHostConfig.DEFAULTS.withMaxConsecutiveFailures(3));
        FailingPlugin bad = new FailingPlugin();
        CountingPlugin good = new CountingPlugin();
        h.add(bad, PluginOptions.named("bad"), PluginOrigin.CODE);
        h.add(good, PluginOptions.named("good"), PluginOrigin.CODE);

        IntStream.range(0, 10).forEach(i -> h.transition(transition("k" + i)));

        assertEquals(3, bad.transitions.get(), "not called once FAILED");
        assertEquals(10, good.transitions.get());
        PluginStatus s = statusOf(h.status(), "bad", PluginState.FAILED);
        assertEquals(3, s.calls());
        assertEquals(3, s.errors());
        assertTrue(s.failure().contains("transition failed on purpose for k2"), s.failure());
        assertEquals(Set.of("bad", "good"), h.names(), "a FAILED plugin stays listed until removed");

        h.remove("bad");
        assertEquals(1, bad.closes.get(), "remove of a FAILED plugin still closes it");
    }

    @Test
    void zeroMaxConsecutiveFailuresNeverSetsFailed() throws Exception {
        SchedulerPluginHost h = new SchedulerPluginHost(Fixtures.schedulerView(),
                PluginHostConfig.DEFAULTS.withMaxConsecutiveFailures(0));
        FailingPlugin bad = new FailingPlugin();
        h.add(bad, PluginOptions.named("bad"), PluginOrigin.CODE);

        IntStream.range(0, 50).forEach(i -> h.transition(transition("k" + i)));

        assertEquals(50, bad.transitions.get());
        PluginStatus s = statusOf(h.status(), "bad", PluginState.ACTIVE);
        assertEquals(50, s.errors());
        assertNull(s.failure());
    }

    @Test
    void aSuccessResetsTheConsecutiveFailureCount() throws Exception {
        SchedulerPluginHost h = new SchedulerPluginHost(Fixtures.schedulerView(),
                PluginHostConfig.DEFAULTS.withMaxConsecutiveFailures(3));
        FailingPlugin flaky = new FailingPlugin(false, key -> !key.startsWith("ok"));
        h.add(flaky, PluginOptions.named("flaky"), PluginOrigin.CODE);

        for (String key : List.of("a", "b", "ok1", "c", "d", "ok2", "e", "f")) {
            h.transition(transition(key));
        }

        PluginStatus s = statusOf(h.status(), "flaky", PluginState.ACTIVE);
        assertEquals(8, s.calls());
        assertEquals(6, s.errors());
    }

    @Test
    void aPluginAddedDuringAHookIsNotCalledForThatEvent() throws Exception {
        RecordingPlugin adder = new RecordingPlugin("adder", journal);
        RecordingPlugin late = new RecordingPlugin("late", journal);
        adder.onTransition = e -> {
            if (e.key().equals("k1")) {
                try {
                    add(late, "late");
                } catch (PluginStartException ex) {
                    throw new AssertionError(ex);
                }
            }
        };
        add(adder, "adder");

        host.transition(transition("k1"));
        host.transition(transition("k2"));

        assertEquals(List.of("k1", "k2"), adder.keys());
        assertEquals(List.of("k2"), late.keys());
    }

    @Test
    void aPluginReplacedDuringAHookGetsEachEventExactlyOnceBetweenOldAndNew() throws Exception {
        RecordingPlugin replacer = new RecordingPlugin("replacer", journal);
        RecordingPlugin old = new RecordingPlugin("old", journal);
        RecordingPlugin fresh = new RecordingPlugin("new", journal);
        replacer.onTransition = e -> {
            if (e.key().equals("k1")) {
                try {
                    add(fresh, "p");
                } catch (PluginStartException ex) {
                    throw new AssertionError(ex);
                }
            }
        };
        add(replacer, "replacer");
        add(old, "p");

        host.transition(transition("k1"));
        host.transition(transition("k2"));

        assertEquals(List.of(), old.keys());
        assertEquals(List.of("k1", "k2"), fresh.keys());
    }

    @Test
    void statsCountCallsErrorsMeanAndMax() throws Exception {
        SlowPlugin slow = new SlowPlugin(20);
        FailingPlugin sometimes = new FailingPlugin(false, key -> key.equals("bad"));
        add(slow, "slow");
        add(sometimes, "sometimes");

        for (String key : List.of("fast1", "slow1", "fast2", "bad")) {
            host.transition(transition(key));
        }

        PluginStatus s = statusOf(host.status(), "slow", PluginState.ACTIVE);
        assertEquals(4, s.calls());
        assertEquals(0, s.errors());
        assertTrue(s.maxNanos() >= TimeUnit.MILLISECONDS.toNanos(20), "max " + s.maxNanos());
        assertTrue(s.meanNanos() >= TimeUnit.MILLISECONDS.toNanos(20) / 4 && s.meanNanos() <= s.maxNanos(),
                "mean " + s.meanNanos());
        assertEquals("scheduler", s.where());
        assertEquals("(code)", s.bundle());
        assertEquals(Delivery.SYNC, s.delivery());
        assertEquals(0, s.dropped());

        PluginStatus f = statusOf(host.status(), "sometimes", PluginState.ACTIVE);
        assertEquals(4, f.calls());
        assertEquals(1, f.errors());
    }

    @Test
    void beforeCloseOnceThenCloseAllClosesEveryPlugin() throws Exception {
        add(new RecordingPlugin("a", journal), "a");
        add(new RecordingPlugin("b", journal), "b");

        host.beforeClose();
        host.beforeClose();
        host.closeAll();

        assertEquals(List.of("a:start:" + loop, "b:start:" + loop, "a:beforeClose", "b:beforeClose",
                "a:close:" + loop, "b:close:" + loop), journal);
        assertTrue(host.isEmpty());
        assertEquals(2, host.status().stream().filter(s -> s.state() == PluginState.CLOSED).count());
    }

    @Test
    void downscalingAppliesEachFilterInTurnAndAThrowingOneVetoesNothing() throws Exception {
        add(new SchedulerPlugin() {
            @Override
            public Set<String> validWorkersDownscaling(DownscalingRequest r) {
                Set<String> keep = new java.util.HashSet<>(r.candidates());
                keep.remove("w1");
                keep.add("intruder");
                return keep;
            }
        }, "not-w1");
        add(new FailingPlugin(), "throws");
        add(new SchedulerPlugin() {
            @Override
            public Set<String> validWorkersDownscaling(DownscalingRequest r) {
                assertFalse(r.candidates().contains("w1"), "sees the previous plugin's answer");
                return Set.of("w3");
            }
        }, "only-w3");

        assertEquals(Set.of("w3"), host.validWorkersDownscaling(Set.of("w1", "w2", "w3")));
        assertEquals(1, statusOf(host.status(), "throws", PluginState.ACTIVE).errors());
    }

    @Test
    void statusKeepsTheLast32Closed() throws Exception {
        for (int i = 0; i < 40; i++) {
            add(new CountingPlugin(), "p" + i);
            host.remove("p" + i);
        }
        add(new CountingPlugin(), "live");

        List<PluginStatus> all = host.status();
        List<String> closed = new ArrayList<>();
        all.stream().filter(s -> s.state() == PluginState.CLOSED).forEach(s -> closed.add(s.name()));
        assertEquals(32, closed.size());
        assertEquals("p8", closed.get(0));
        assertEquals("p39", closed.get(31));
        assertEquals("live", all.get(0).name());
    }

    @Test
    void removeInstanceOnlyRemovesTheCurrentInstance() throws Exception {
        CountingPlugin first = new CountingPlugin();
        CountingPlugin second = new CountingPlugin();
        add(first, "p");
        add(second, "p");

        assertFalse(host.removeInstance(first, false), "first was already replaced");
        assertEquals(Set.of("p"), host.names());
        assertTrue(host.removeInstance(second, false));
        assertTrue(host.isEmpty());
        assertEquals(1, second.closes.get());
    }

    @Test
    void aLinkageErrorFromAHookIsContainedAndCounted() throws Exception {
        CountingPlugin other = new CountingPlugin();
        add(new SchedulerPlugin() {
            @Override
            public void transition(org.weft.plugin.api.TransitionEvent e) {
                throw new NoClassDefFoundError("org/example/Gone");
            }
        }, "linkage");
        add(other, "other");

        host.transition(transition("k"));

        assertEquals(1, statusOf(host.status(), "linkage", PluginState.ACTIVE).errors());
        assertEquals(1, other.transitions.get());
    }

    @Test
    void aCloseThatThrowsStillRemovesThePluginAndShowsWhy() throws Exception {
        add(new SchedulerPlugin() {
            @Override
            public void close() throws Exception {
                throw new java.io.IOException("flush failed");
            }
        }, "leaky");

        host.remove("leaky");

        assertTrue(host.isEmpty());
        PluginStatus s = statusOf(host.status(), "leaky", PluginState.CLOSED);
        assertTrue(s.failure().contains("close: java.io.IOException: flush failed"), s.failure());
    }
}
